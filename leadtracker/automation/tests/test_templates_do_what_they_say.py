"""The templates of common rules, added as an admin adds them and switched on, do what their
names say with the organisation's own statuses and outcomes: "Interested → site visit in 2 days"
plans the visit at 11:00 two days on; "Not connected three times → Lost: unreachable" counts every
outcome that did not connect (No answer, Busy, Switched off), not one; "overdue hot lead → tell
the manager" tells them in the app and by e-mail. (The 5-minute SLA: test_time_triggers.py.)"""

import datetime as dt

import time_machine
from django.core import mail
from django.utils import timezone

from leadtracker.accounts.audit import Actor
from leadtracker.accounts.models import Notification
from leadtracker.automation.actions import add_rule_from_template
from leadtracker.automation.models import RuleRun
from leadtracker.automation.scan import scan
from leadtracker.calls.actions import log_call, record_outcome
from leadtracker.calls.models import Outcome
from leadtracker.leads.actions.follow_ups import schedule_follow_up
from leadtracker.leads.actions.leads import change_status
from leadtracker.leads.actions.tags import add_tags
from leadtracker.leads.models import FollowUp, LeadStatus
from leadtracker.testing import make_lead

IST = dt.timezone(dt.timedelta(hours=5, minutes=30))
T0 = dt.datetime(2026, 12, 7, 15, 20, tzinfo=IST)


def _add(people, key):
    return add_rule_from_template(people.org, key, actor=Actor.for_user(people.olga.user), is_active=True)


def test_interested_plans_a_site_visit_two_days_on_at_eleven(acme, worker):
    with time_machine.travel(T0, tick=False):
        rule = _add(acme, "site_visit")
        lead = make_lead(acme, owner=acme.alice)
        other = make_lead(acme, owner=acme.alice, phone="98111 00021")
        actor = Actor.for_user(acme.alice.user)
        interested = LeadStatus.objects.get(organisation=acme.org, name="Interested")
        lost = LeadStatus.objects.get(organisation=acme.org, name="Lost")
        worker(lambda: change_status(lead, interested, actor=actor, by=acme.alice))
        worker(lambda: change_status(other, lost, actor=actor, by=acme.alice, lost_reason="Price"))
    visit = FollowUp.objects.get()
    local = visit.due_at.astimezone(acme.org.tzinfo)
    assert (visit.lead_id, visit.kind, visit.assignee_id) == (lead.pk, "visit", acme.alice.user_id)
    assert (local.date(), local.hour, local.minute) == (dt.date(2026, 12, 9), 11, 0)
    assert [r.lead_id for r in RuleRun.objects.filter(rule=rule)] == [lead.pk]


def test_three_calls_that_did_not_connect_make_the_lead_lost_unreachable(acme, worker):
    rule = _add(acme, "unreachable")
    lead = make_lead(acme, owner=acme.alice)
    actor = Actor.for_user(acme.alice.user)
    outcomes = ["No answer", "Busy", "Switched off / not reachable"]
    for n, name in enumerate(outcomes):
        outcome = Outcome.objects.get(organisation=acme.org, name=name)
        at = timezone.now().replace(microsecond=0) - dt.timedelta(minutes=10 - n)
        call, _ = log_call(acme.alice, lead=lead, connected=False, started_at=at, actor=actor)
        worker(lambda c=call, o=outcome: record_outcome(c, outcome_id=o.pk, actor=actor, by=acme.alice))
        lead.refresh_from_db()
        assert (lead.status.name == "Lost") == (n == 2), name
    assert lead.lost_reason == "Unreachable"
    assert RuleRun.objects.filter(rule=rule, lead=lead).count() == 1


def test_an_overdue_hot_lead_tells_the_manager_in_the_app_and_by_email(
    acme, django_capture_on_commit_callbacks
):
    with time_machine.travel(T0, tick=False) as clock:
        actor = Actor.for_user(acme.alice.user)
        lead = make_lead(acme, owner=acme.alice, name="Asha Verma")
        add_tags(lead, ["Hot"], actor=actor)
        schedule_follow_up(lead, due_at=T0 + dt.timedelta(minutes=10), actor=actor, by=acme.alice)
        _add(acme, "hot_overdue")
        clock.shift(dt.timedelta(minutes=71))
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):  # the e-mail goes after the commit
            assert scan() == 1
    note = Notification.objects.get(user_id=acme.maya.user_id)  # Alice reports to Maya
    assert "Asha Verma" in note.text and note.url == f"/leads/{lead.pk}/"
    [sent] = mail.outbox
    assert sent.to == [acme.maya.user.email] and "Asha Verma" in sent.subject
    assert f"/leads/{lead.pk}/" in sent.body
    assert not Notification.objects.filter(user_id=acme.alice.user_id, url=f"/leads/{lead.pk}/").exists()
