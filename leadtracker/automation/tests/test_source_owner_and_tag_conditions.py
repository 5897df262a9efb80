"""A rule's conditions on the lead's source, its owner and its tags: checked as saved (the
organisation's own), and a lead that does not fit is left alone — the rule fires for the one that
does, once. (Status, team, time of day, on shift: test_conditions.py and test_event_triggers.py;
custom fields: test_custom_field_conditions.py.)"""

import datetime as dt

import pytest

from leadtracker.accounts.audit import Actor
from leadtracker.automation.actions import save_rule
from leadtracker.automation.engine import matches
from leadtracker.automation.models import RuleRun
from leadtracker.leads.actions.settings import create_source
from leadtracker.leads.actions.tags import add_tags, create_tag
from leadtracker.lib.errors import ActionError
from leadtracker.testing import make_lead

NOW = dt.datetime(2026, 12, 7, 6, 0, tzinfo=dt.UTC)


def _rule(people, conditions):
    return save_rule(
        people.org,
        name="R",
        trigger="lead_created",
        conditions=conditions,
        actions=[{"type": "add_tag", "tag": "Matched"}],
        actor=Actor.system(),
    )


def test_the_source_condition(acme, worker):
    sys = Actor.system()
    website, fair = create_source(acme.org, "Website", actor=sys), create_source(acme.org, "Fair", actor=sys)
    rule = _rule(acme, {"source_ids": [website.pk]})
    from_site = worker(lambda: make_lead(acme, source=website, phone="98111 00031"))
    from_fair = worker(lambda: make_lead(acme, source=fair, phone="98111 00032"))
    no_source = worker(lambda: make_lead(acme, phone="98111 00033"))
    assert [r.lead_id for r in RuleRun.objects.filter(rule=rule)] == [from_site.pk]
    assert list(from_site.tags.values_list("name", flat=True)) == ["Matched"]
    assert not from_fair.tags.exists() and not no_source.tags.exists()


def test_the_owner_condition(acme):
    rule = _rule(acme, {"owner_ids": [acme.alice.user_id, acme.bob.user_id]})
    assert matches(rule, make_lead(acme, owner=acme.alice, phone="98111 00041"), now=NOW)
    assert matches(rule, make_lead(acme, owner=acme.bob, phone="98111 00042"), now=NOW)
    assert not matches(rule, make_lead(acme, owner=acme.carl, phone="98111 00043"), now=NOW)
    assert not matches(rule, make_lead(acme, phone="98111 00044"), now=NOW)  # nobody's


def test_the_tag_condition_is_any_of_the_tags(acme):
    hot = create_tag(acme.org, "Hot", actor=Actor.system())
    vip = create_tag(acme.org, "VIP", actor=Actor.system())
    rule = _rule(acme, {"tag_ids": [hot.pk, vip.pk]})
    lead = make_lead(acme, owner=acme.alice)
    assert not matches(rule, lead, now=NOW)
    add_tags(lead, ["Cold"], actor=Actor.system())
    assert not matches(rule, lead, now=NOW)
    add_tags(lead, ["VIP"], actor=Actor.system())
    assert matches(rule, lead, now=NOW)


def test_conditions_naming_another_organisations_source_owner_or_tag_are_refused(acme, globex):
    theirs = {
        "source_ids": create_source(globex.org, "Theirs", actor=Actor.system()).pk,
        "owner_ids": globex.alice.user_id,
        "tag_ids": create_tag(globex.org, "Theirs", actor=Actor.system()).pk,
    }
    for key, pk in theirs.items():
        with pytest.raises(ActionError) as refused:
            _rule(acme, {key: [pk]})
        assert refused.value.field == f"conditions.{key}"
