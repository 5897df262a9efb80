"""The rule builder page: a rule from pick lists without JavaScript — another action slot, an
action's type shown with its inputs — saved as the JSON the API takes; a refused value said next
to its input in words; a rule read back into the form; another organisation's rule is 404."""

from leadtracker.accounts.audit import Actor
from leadtracker.automation.models import Rule
from leadtracker.leads.fields.actions import create_field
from leadtracker.leads.models import LeadStatus

URL = "/settings/automation/build/"


def _status(people, name):
    return LeadStatus.objects.get(organisation=people.org, name=name).pk


def test_a_rule_built_from_pick_lists_is_saved_as_its_json(acme, client):
    client.force_login(acme.olga.user)
    create_field(acme.org, label="Budget", type="money", actor=Actor.system())
    page = client.get(URL)
    assert page.status_code == 200
    base = {
        "name": "Interested → site visit",
        "trigger": "status_changed",
        "wait_unit": "minutes",
        "statuses": [str(_status(acme, "Interested"))],
        "cf0_key": "budget",
        "cf0_op": "range",
        "cf0_value": "40L",
        "cf0_to": "60L",
        "action_count": "1",
        "a0_type": "follow_up",
    }
    # No script: the type's inputs come with a redraw, and another slot with "Add another action".
    redraw = client.post(URL, {**base, "redraw": "1"}).content.decode()
    assert 'name="a0_in"' in redraw and 'name="a0_at"' in redraw and "Not saved" not in redraw
    assign = client.post(URL, {**base, "a0_type": "assign", "redraw": "1"}).content.decode()
    assert 'name="a0_on_shift" id="id_a0_on_shift" checked' in assign  # its default, not unticked
    more = client.post(URL, {**base, "more": "1"}).content.decode()
    assert 'name="a1_type"' in more and 'value="2"' in more
    saved = client.post(
        URL,
        {**base, "a0_in": "2", "a0_unit": "days", "a0_at": "11:00", "a0_kind": "visit"},
    )
    assert saved.status_code == 302
    rule = Rule.objects.get(organisation=acme.org)
    assert rule.conditions == {
        "status_ids": [_status(acme, "Interested")],
        "fields": [{"key": "budget", "op": "range", "from": 4000000, "to": 6000000}],
    }
    assert rule.actions == [
        {"type": "follow_up", "in_hours": 0, "in_days": 2, "at": "11:00", "kind": "visit"}
    ]
    assert not rule.is_active
    # Read back into the form to change it.
    again = client.get(f"/settings/automation/{rule.pk}/build/").content.decode()
    assert 'value="11:00"' in again and 'value="4000000"' in again


def test_a_refused_value_is_said_next_to_its_input(acme, client):
    client.force_login(acme.olga.user)
    create_field(acme.org, label="Budget", type="money", actor=Actor.system())
    page = client.post(
        URL,
        {
            "name": "Bad",
            "trigger": "not_called",
            "wait": "",
            "wait_unit": "minutes",
            "cf0_key": "budget",
            "cf0_op": "range",
            "cf0_value": "lots",
            "action_count": "1",
            "a0_type": "assign",
        },
    )
    assert page.status_code == 422
    text = page.content.decode()
    import re

    print(re.sub(r"\s+", " ", text[text.find("Not saved") : text.find("Not saved") + 6000]))
    assert 'id="id_wait-error"' in text and "say after how long" in text
    assert not Rule.objects.exists()
    page = client.post(
        URL,
        {
            "name": "Bad",
            "trigger": "not_called",
            "wait": "5",
            "wait_unit": "minutes",
            "cf0_key": "budget",
            "cf0_op": "range",
            "cf0_value": "lots",
            "action_count": "1",
            "a0_type": "assign",
        },
    )
    assert 'id="id_cf0_value-error"' in page.content.decode()
    assert "Conditions → Budget: &#x27;lots&#x27; is not an amount" in page.content.decode()


def test_another_organisations_rule_is_not_found(acme, globex, client, rule):
    theirs = rule(globex, "lead_created", [{"type": "add_tag", "tag": "x"}])
    client.force_login(acme.olga.user)
    assert client.get(f"/settings/automation/{theirs.pk}/build/").status_code == 404


def test_every_input_an_action_needs_is_said_at_once_next_to_it(acme, client):
    client.force_login(acme.olga.user)
    page = client.post(
        URL,
        {
            "name": "Half done",
            "trigger": "lead_created",
            "wait_unit": "minutes",
            "action_count": "3",
            "a0_type": "set_status",
            "a1_type": "follow_up",
            "a2_type": "webhook",
        },
    )
    assert page.status_code == 422
    text = page.content.decode()
    for name, words in (
        ("a0_status", "pick the status to set"),
        ("a1_in", "say in how many days or hours"),
        ("a2_endpoint", "pick the webhook to send"),
    ):
        assert f'id="id_{name}-error">{words}' in text, name
    assert not Rule.objects.exists()
