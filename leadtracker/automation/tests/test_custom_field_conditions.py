"""A rule's conditions on custom fields: checked against the field's type (a bad value names the
field), fired for the matching lead only and once, by an event and by the minute's scan (which
narrows through the list filters); shown in words on the rule page; an archived field's
condition is shown as such and never holds."""

import datetime as dt

import pytest
import time_machine

from leadtracker.accounts.audit import Actor
from leadtracker.accounts.models import AuditEvent
from leadtracker.automation.actions import save_rule
from leadtracker.automation.engine import matches
from leadtracker.automation.models import RuleRun
from leadtracker.automation.scan import dry_run, scan
from leadtracker.leads.fields.actions import archive_field, create_field
from leadtracker.leads.page_reads import timeline
from leadtracker.lib.errors import ActionError
from leadtracker.testing import make_lead

IST = dt.timezone(dt.timedelta(hours=5, minutes=30))
T0 = dt.datetime(2026, 12, 7, 10, 0, tzinfo=IST)
BUDGET = {"key": "budget", "op": "range", "from": "40L", "to": "60 lakh"}


@pytest.fixture
def fields(acme):
    actor = Actor.for_user(acme.olga.user)
    return {
        "budget": create_field(acme.org, label="Budget", type="money", actor=actor),
        "bhk": create_field(acme.org, label="BHK", type="choice", choices=["1", "2", "3"], actor=actor),
        "loan": create_field(acme.org, label="Loan", type="yes_no", actor=actor),
    }


def _save(people, conditions, trigger="lead_created", **extra):
    return save_rule(
        people.org,
        name=extra.pop("name", "Budget buyers"),
        trigger=trigger,
        conditions=conditions,
        actions=[{"type": "add_tag", "tag": "Budget fit"}],
        actor=Actor.for_user(people.olga.user),
        **extra,
    )


def test_values_are_checked_as_the_fields_type_and_a_bad_one_names_the_field(acme, fields):
    rule = _save(acme, {"fields": [BUDGET, {"key": "bhk", "op": "in", "values": ["2", "3"]}]})
    assert rule.conditions["fields"][0] == {"key": "budget", "op": "range", "from": 4000000, "to": 6000000}
    bad = [
        ({"key": "budget", "op": "range", "from": "lots"}, "Conditions → Budget: 'lots' is not an amount"),
        ({"key": "bhk", "op": "eq", "value": "5"}, "Conditions → BHK: '5' is not one of 1, 2, 3"),
        ({"key": "bhk", "op": "range", "from": 1}, "Conditions → BHK: “between” is for a number"),
        ({"key": "loan", "op": "eq", "value": "maybe"}, "Conditions → Loan: 'maybe' is not yes or no"),
        ({"key": "plot", "op": "empty"}, "Conditions → Custom field: no such field plot"),
    ]
    for cond, words in bad:
        with pytest.raises(ActionError) as exc:
            _save(acme, {"fields": [cond]}, name="Bad")
        assert exc.value.message.startswith(words), exc.value.message
        assert exc.value.field == f"conditions.fields.{cond['key']}"


def test_another_organisations_field_is_unknown(acme, globex, fields):
    with pytest.raises(ActionError) as exc:
        _save(globex, {"fields": [BUDGET]})
    assert exc.value.field == "conditions.fields.budget"


def test_an_event_rule_fires_for_the_matching_lead_only_once_logs_and_audits(acme, fields, worker):
    rule = _save(acme, {"fields": [BUDGET, {"key": "loan", "op": "eq", "value": "yes"}]})
    fits = worker(lambda: make_lead(acme, name="Asha", custom_fields={"budget": "45L", "loan": "yes"}))
    worker(
        lambda: make_lead(
            acme, name="Bina", phone="98111 00002", custom_fields={"budget": "75L", "loan": "yes"}
        )
    )
    worker(lambda: make_lead(acme, name="Chetan", phone="98111 00003", custom_fields={"budget": "45L"}))
    assert [r.lead_id for r in RuleRun.objects.filter(rule=rule)] == [fits.pk]
    fired = AuditEvent.objects.filter(action="rule.fire", object_id=str(rule.pk))
    assert [e.changes["lead"] for e in fired] == [fits.pk]
    line = next(a for a in timeline(fits) if a.kind == "rule")
    assert line.data == {"rule": "Budget buyers", "text": "tagged it Budget fit"}


def test_the_scan_fires_once_for_the_lead_in_range(acme, fields):
    with time_machine.travel(T0, tick=False) as clock:
        rule = _save(acme, {"fields": [BUDGET]}, trigger="untouched", wait_minutes=60, is_active=True)
        fits = make_lead(acme, name="Asha", custom_fields={"budget": 5000000})
        make_lead(acme, name="Bina", phone="98111 00002", custom_fields={"budget": 3900000})
        make_lead(acme, name="Chetan", phone="98111 00003")
        clock.shift(dt.timedelta(minutes=61))
        assert [x.pk for x in dry_run(rule)] == [fits.pk]
        assert scan() == 1 and scan() == 0
        assert [r.lead_id for r in RuleRun.objects.filter(rule=rule)] == [fits.pk]


def test_an_archived_fields_condition_never_holds_and_the_page_says_so(acme, fields, client):
    rule = _save(acme, {"fields": [BUDGET, {"key": "bhk", "op": "empty"}]})
    lead = make_lead(acme, custom_fields={"budget": 5000000})
    now = dt.datetime.now(dt.UTC)
    assert matches(rule, lead, now=now)
    archive_field(fields["budget"], actor=Actor.for_user(acme.olga.user))
    rule.refresh_from_db()
    assert not matches(rule, lead, now=now)
    client.force_login(acme.olga.user)
    page = client.get(f"/settings/automation/{rule.pk}/").content.decode()
    assert "Budget between ₹40 L and ₹60 L (archived field: this condition never holds)" in page
    assert "BHK is empty" in page
