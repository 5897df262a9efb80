"""Follow-ups: the agent's agenda, the lead's next follow-up, and reminders sent by the worker."""

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from leadtracker.accounts.audit import Actor
from leadtracker.accounts.models import Notification
from leadtracker.leads import page_reads, selectors
from leadtracker.leads.actions.assignment import assign_lead
from leadtracker.leads.actions.follow_ups import complete_follow_up, schedule_follow_up
from leadtracker.leads.models import FollowUp, Lead
from leadtracker.leads.reminders import send_due_reminders
from leadtracker.lib.errors import ActionError
from leadtracker.testing import clocks


@clocks()
def test_agenda_overdue_today_upcoming(frozen_at, acme, new_lead):
    lead = new_lead(acme, name="Raj", phone="98765 43210", by=acme.alice)
    actor = Actor.for_user(acme.alice.user)
    tz = acme.org.tzinfo
    now = timezone.now()
    midnight = dt.datetime.combine(now.astimezone(tz).date() + dt.timedelta(days=1), dt.time(0), tz)
    due = {
        "overdue": now - dt.timedelta(hours=3),
        "today": now + (midnight - now) / 2,  # still today at 23:55
        "upcoming": midnight + dt.timedelta(hours=9),  # tomorrow morning, at 00:05 too
        "beyond a week": midnight + dt.timedelta(days=10),
    }
    for when in due.values():
        schedule_follow_up(lead, due_at=when, actor=actor, by=acme.alice)
    agenda = selectors.agenda(acme.alice, tz, now=now)
    assert {k: [f.due_at for f in agenda[k]] for k in ("overdue", "today", "upcoming")} == {
        k: [due[k]] for k in ("overdue", "today", "upcoming")
    }
    assert Lead.objects.get(pk=lead.pk).next_follow_up_at == due["overdue"]


def test_done_follow_up_moves_next_and_last_contacted(acme, new_lead):
    lead = new_lead(acme, name="Raj", phone="98765 43210", by=acme.alice)
    actor = Actor.for_user(acme.alice.user)
    soon = timezone.now() + dt.timedelta(hours=1)
    later = timezone.now() + dt.timedelta(days=2)
    first = schedule_follow_up(lead, due_at=soon, kind="meeting", actor=actor, by=acme.alice)
    schedule_follow_up(lead, due_at=later, actor=actor, by=acme.alice)
    complete_follow_up(first, outcome="Site visit fixed", actor=actor, by=acme.alice)
    lead.refresh_from_db()
    assert lead.next_follow_up_at == later and lead.last_contacted_at is not None
    with pytest.raises(ActionError, match="already done"):
        complete_follow_up(first, actor=actor, by=acme.alice)
    kinds = [a.kind for a in page_reads.timeline(lead)]
    assert kinds[:3] == ["follow_up_done", "follow_up", "follow_up"] and kinds[-1] == "created"


def test_follow_up_needs_an_aware_time_and_known_kind(acme, new_lead):
    lead = new_lead(acme, name="Raj", phone="98765 43210", by=acme.alice)
    actor = Actor.for_user(acme.alice.user)
    with pytest.raises(ActionError) as caught:
        schedule_follow_up(lead, due_at=dt.datetime(2026, 12, 1, 10, 0), actor=actor, by=acme.alice)
    assert caught.value.field == "due_at"
    with pytest.raises(ActionError) as caught:
        schedule_follow_up(lead, due_at=timezone.now(), kind="telepathy", actor=actor, by=acme.alice)
    assert caught.value.field == "kind"


def test_agent_cannot_plan_on_someone_elses_lead(acme, new_lead):
    lead = new_lead(acme, name="Raj", phone="98765 43210", by=acme.bob)
    with pytest.raises(ActionError) as caught:
        schedule_follow_up(lead, due_at=timezone.now(), actor=Actor.system(), by=acme.alice)
    assert caught.value.status_code == 403


@clocks()
def test_reminder_by_email_and_in_app_once(frozen_at, acme, new_lead, django_capture_on_commit_callbacks):
    lead = new_lead(acme, name="Raj Sharma", phone="98765 43210", by=acme.alice)
    due = timezone.now() + dt.timedelta(minutes=10)
    schedule_follow_up(lead, due_at=due, actor=Actor.system(), by=acme.alice)  # reminder 15 min before
    not_yet = schedule_follow_up(
        lead, due_at=timezone.now() + dt.timedelta(hours=3), actor=Actor.system(), by=acme.alice
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert send_due_reminders() == 1
        assert send_due_reminders() == 0  # never twice
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["alice@acme.test"]
    assert "Raj Sharma" in mail.outbox[0].subject
    note = Notification.objects.get(user=acme.alice.user)
    assert note.url == f"/leads/{lead.pk}/"
    assert not_yet.reminder_sent_at is None


@clocks()
def test_stale_reminders_are_marked_not_sent(frozen_at, acme, new_lead):
    lead = new_lead(acme, name="Raj", phone="98765 43210", by=acme.alice)
    schedule_follow_up(
        lead, due_at=timezone.now() - dt.timedelta(days=1), actor=Actor.system(), by=acme.alice
    )
    assert send_due_reminders() == 0
    assert len(mail.outbox) == 0


def test_no_reminder_to_someone_who_can_no_longer_open_the_lead(acme, new_lead):
    """A follow-up left with a person who cannot open its lead (they left, or the data predates
    reassignment moving follow-ups) sends no reminder: it would show them the lead's name."""
    from leadtracker.accounts.models import Membership
    from leadtracker.leads.models import FollowUp

    lead = new_lead(acme, name="Raj Sharma", phone="98765 43210", by=acme.alice)
    fu = schedule_follow_up(
        lead, due_at=timezone.now() + dt.timedelta(minutes=10), actor=Actor.system(), by=acme.alice
    )
    FollowUp.objects.filter(pk=fu.pk).update(assignee_id=acme.bob.user_id)  # old data: not Bob's lead
    assert send_due_reminders() == 0
    assert not Notification.objects.filter(user=acme.bob.user).exists() and len(mail.outbox) == 0
    lead2 = new_lead(acme, name="Gone Lead", phone="98765 43211", by=acme.carl)
    schedule_follow_up(
        lead2, due_at=timezone.now() + dt.timedelta(minutes=10), actor=Actor.system(), by=acme.carl
    )
    Membership.objects.filter(pk=acme.carl.pk).update(is_active=False)
    assert send_due_reminders() == 0


def test_agenda_only_shows_leads_one_can_open_and_reassignment_moves_tasks(acme, new_lead):
    lead = new_lead(acme, name="Raj", phone="98765 43210", by=acme.alice)
    fu = schedule_follow_up(
        lead, due_at=timezone.now() + dt.timedelta(hours=1), actor=Actor.system(), by=acme.alice
    )
    assign_lead(lead, acme.bob.user_id, actor=Actor.system(), by=acme.maya)
    assert FollowUp.objects.get(pk=fu.pk).assignee_id == acme.bob.user_id
    FollowUp.objects.filter(pk=fu.pk).update(assignee_id=acme.alice.user_id)  # as an old task would be
    items = selectors.agenda(acme.alice, acme.org.tzinfo)
    assert not any(items.values())
