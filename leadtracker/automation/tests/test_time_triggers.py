"""Rules on time — assigned N minutes ago and not called, a follow-up overdue by N minutes,
untouched for N days — found by the minute's scan with the clock frozen and moved: each fires
once when its moment comes (the 5-minute SLA within a minute of its deadline), logs, audits,
does not fire again on its own action or on a rescan, and a dry run lists what it would touch."""

import datetime as dt

import time_machine

from leadtracker.accounts.audit import Actor
from leadtracker.accounts.models import AuditEvent, Notification
from leadtracker.automation.actions import add_rule_from_template
from leadtracker.automation.models import Rule, RuleRun
from leadtracker.automation.scan import dry_run, scan
from leadtracker.automation.tasks import scan_time_rules
from leadtracker.calls.actions import log_call
from leadtracker.leads.actions.follow_ups import schedule_follow_up
from leadtracker.leads.actions.tags import add_tags
from leadtracker.lib.periodic import REGISTRY
from leadtracker.testing import make_lead, open_shift

IST = dt.timezone(dt.timedelta(hours=5, minutes=30))
T0 = dt.datetime(2026, 12, 7, 10, 0, tzinfo=IST)


def test_the_5_minute_sla_reassigns_an_uncalled_lead_within_a_minute(acme):
    assert REGISTRY[scan_time_rules.module_path].every == dt.timedelta(minutes=1)
    with time_machine.travel(T0, tick=False) as clock:
        sla = add_rule_from_template(acme.org, "sla", actor=Actor.for_user(acme.olga.user), is_active=True)
        open_shift(acme.carl)
        lead = make_lead(acme, owner=acme.alice, name="Asha")
        clock.shift(dt.timedelta(minutes=4, seconds=59))
        assert scan() == 0 and dry_run(sla) == []
        clock.shift(dt.timedelta(seconds=2))  # the deadline passed; the next minute's scan:
        assert [x.pk for x in dry_run(sla)] == [lead.pk]
        assert scan() == 1
        lead.refresh_from_db()
        assert lead.owner_id == acme.carl.user_id  # the one agent on shift
        assert RuleRun.objects.get(rule=sla).did == [{"type": "assign", "to": acme.carl.user_id}]
        assert AuditEvent.objects.get(action="lead.assign", object_id=str(lead.pk)).changes["rule"] == sla.pk
        # Its own assignment is no deadline for it: Carl not calling does not pass it on again.
        clock.shift(dt.timedelta(minutes=30))
        assert scan() == 0 and dry_run(sla) == []
        assert RuleRun.objects.count() == 1


def test_a_called_lead_is_left_alone_and_a_rescan_fires_nothing_twice(acme):
    with time_machine.travel(T0, tick=False) as clock:
        sla = add_rule_from_template(acme.org, "sla", actor=Actor.system(), is_active=True)
        open_shift(acme.carl)
        called = make_lead(acme, owner=acme.alice, phone="98111 00001")
        uncalled = make_lead(acme, owner=acme.alice, phone="98111 00002")
        clock.shift(dt.timedelta(minutes=2))
        log_call(acme.alice, lead=called, actor=Actor.for_user(acme.alice.user))
        clock.shift(dt.timedelta(minutes=4))
        assert scan() == 1
        assert [r.lead_id for r in RuleRun.objects.all()] == [uncalled.pk]
        # A worker that died before saving its place scans the same events again: nothing twice.
        Rule.objects.filter(pk=sla.pk).update(scanned_at=T0 - dt.timedelta(hours=1), scanned_id=0)
        assert scan() == 0 and RuleRun.objects.count() == 1


def test_an_overdue_hot_lead_tells_the_manager(acme):
    with time_machine.travel(T0, tick=False) as clock:
        actor = Actor.for_user(acme.alice.user)
        lead = make_lead(acme, owner=acme.alice)
        add_tags(lead, ["Hot"], actor=actor)
        cold = make_lead(acme, owner=acme.alice, phone="98111 00003")
        for each in (lead, cold):
            schedule_follow_up(each, due_at=T0 + dt.timedelta(minutes=30), actor=actor, by=acme.alice)
        rule = add_rule_from_template(acme.org, "hot_overdue", actor=Actor.system(), is_active=True)
        clock.shift(dt.timedelta(minutes=89))
        assert scan() == 0
        clock.shift(dt.timedelta(minutes=2))
        assert [x.pk for x in dry_run(rule)] == [lead.pk]
        assert scan() == 1
        note = Notification.objects.get(user_id=acme.maya.user_id)
        assert note.url == f"/leads/{lead.pk}/" and "Overdue hot lead" in note.text
        assert scan() == 0


def test_a_lead_untouched_for_three_days_is_tagged_once(acme, rule):
    with time_machine.travel(T0, tick=False) as clock:
        stale = rule(acme, "untouched", [{"type": "add_tag", "tag": "Stale"}], wait_minutes=3 * 24 * 60)
        lead = make_lead(acme, owner=acme.bob)
        clock.shift(dt.timedelta(days=3, minutes=1))
        assert scan() == 1
        assert list(lead.tags.values_list("name", flat=True)) == ["Stale"]
        run = RuleRun.objects.get(rule=stale)
        assert run.event.startswith("untouched:")
        assert AuditEvent.objects.filter(action="rule.fire").count() == 1
        assert scan() == 0
