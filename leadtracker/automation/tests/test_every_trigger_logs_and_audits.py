"""Each kind of trigger — a lead created, its status changed, an outcome recorded, a call missed,
assigned N minutes ago and not called, a follow-up overdue by N minutes, untouched N days — fires
its rule once for the lead, writes the rule's line on the lead's timeline and a ``rule.fire``
audit event naming the lead, and fires nothing more on a rescan or on what it did itself (the
rule adds a tag, which is a change of the lead)."""

import datetime as dt

import pytest
import time_machine

from leadtracker.accounts.audit import Actor
from leadtracker.accounts.models import AuditEvent
from leadtracker.automation.models import RuleRun
from leadtracker.automation.scan import scan
from leadtracker.calls.actions import log_call, record_outcome
from leadtracker.calls.models import Outcome
from leadtracker.leads.actions.follow_ups import schedule_follow_up
from leadtracker.leads.actions.leads import change_status
from leadtracker.leads.models import LeadStatus
from leadtracker.leads.page_reads import timeline
from leadtracker.testing import make_lead

T0 = dt.datetime(2026, 12, 7, 5, 0, tzinfo=dt.UTC)
WAIT = {"not_called": 5, "follow_up_overdue": 15, "untouched": 3 * 24 * 60}


def _created(people, worker, clock):
    return worker(lambda: make_lead(people, owner=people.alice))


def _status_changed(people, worker, clock):
    lead = make_lead(people, owner=people.alice)
    interested = LeadStatus.objects.get(organisation=people.org, name="Interested")
    actor = Actor.for_user(people.alice.user)
    worker(lambda: change_status(lead, interested, actor=actor, by=people.alice))
    return lead


def _outcome_recorded(people, worker, clock):
    lead = make_lead(people, owner=people.alice)
    actor = Actor.for_user(people.alice.user)
    call, _ = log_call(people.alice, lead=lead, actor=actor)
    outcome = Outcome.objects.get(organisation=people.org, name="No answer")
    worker(lambda: record_outcome(call, outcome_id=outcome.pk, actor=actor, by=people.alice))
    return lead


def _call_missed(people, worker, clock):
    lead = make_lead(people, owner=people.alice)
    actor = Actor.for_user(people.alice.user)
    worker(lambda: log_call(people.alice, lead=lead, direction="in", connected=False, actor=actor))
    return lead


def _not_called(people, worker, clock):
    lead = make_lead(people, owner=people.alice)
    clock.shift(dt.timedelta(minutes=6))
    assert scan() == 1
    return lead


def _follow_up_overdue(people, worker, clock):
    lead = make_lead(people, owner=people.alice)
    actor = Actor.for_user(people.alice.user)
    schedule_follow_up(lead, due_at=T0 + dt.timedelta(minutes=10), actor=actor, by=people.alice)
    clock.shift(dt.timedelta(minutes=26))
    assert scan() == 1
    return lead


def _untouched(people, worker, clock):
    lead = make_lead(people, owner=people.alice)
    clock.shift(dt.timedelta(days=3, minutes=1))
    assert scan() == 1
    return lead


TRIGGERS = {
    "lead_created": _created,
    "status_changed": _status_changed,
    "outcome_recorded": _outcome_recorded,
    "call_missed": _call_missed,
    "not_called": _not_called,
    "follow_up_overdue": _follow_up_overdue,
    "untouched": _untouched,
}


@pytest.mark.parametrize("trigger", TRIGGERS)
def test_the_trigger_fires_once_logs_on_the_timeline_and_audits(acme, worker, rule, trigger):
    with time_machine.travel(T0, tick=False) as clock:
        fired = rule(
            acme,
            trigger,
            [{"type": "add_tag", "tag": "Seen"}],
            name=f"When {trigger}",
            wait_minutes=WAIT.get(trigger, 0),
        )
        lead = TRIGGERS[trigger](acme, worker, clock)
        [run] = RuleRun.objects.filter(rule=fired)
        assert run.lead_id == lead.pk
        assert list(lead.tags.values_list("name", flat=True)) == ["Seen"]
        [line] = [a for a in timeline(lead) if a.kind == "rule"]
        assert line.data["rule"] == f"When {trigger}" and "Seen" in line.data["text"]
        [audit] = AuditEvent.objects.filter(action="rule.fire", object_id=str(fired.pk))
        assert audit.changes["lead"] == lead.pk
        # Later: a rescan, a worker's round, time moving on — nothing more for this lead.
        clock.shift(dt.timedelta(days=1))
        worker()
        assert scan() == 0
        assert RuleRun.objects.filter(rule=fired).count() == 1
