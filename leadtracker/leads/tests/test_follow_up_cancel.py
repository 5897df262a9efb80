"""Cancelling a follow-up that will not happen: kept and marked with who, when and why; off
the agenda, the reminders and the lead's next follow-up; never counted as done."""

import datetime as dt

from django.utils import timezone

from leadtracker.accounts.audit import Actor
from leadtracker.accounts.models import AuditEvent
from leadtracker.leads import selectors
from leadtracker.leads.actions.assignment import assign_lead
from leadtracker.leads.actions.follow_ups import cancel_follow_up, complete_follow_up, schedule_follow_up
from leadtracker.leads.models import FollowUp, Lead
from leadtracker.leads.reminders import send_due_reminders


def plan(lead, by, hours):
    return schedule_follow_up(
        lead, due_at=timezone.now() + dt.timedelta(hours=hours), actor=Actor.system(), by=by
    )


def cancel(client, fu, reason=""):
    return client.post(
        f"/api/v1/follow-ups/{fu.pk}/cancel", {"reason": reason}, content_type="application/json"
    )


def test_cancelled_follow_up_is_kept_with_who_when_and_why(acme, api_as, new_lead):
    lead = new_lead(acme, name="Raj", by=acme.alice)
    soon, later = plan(lead, acme.alice, 0.1), plan(lead, acme.alice, 30)
    response = cancel(api_as(acme.alice), soon, "customer travelling, call next month")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["state"] == "cancelled" and body["done_at"] is None
    assert body["cancelled_by_id"] == acme.alice.user_id and body["cancelled_at"]
    assert body["outcome"] == "customer travelling, call next month"
    assert FollowUp.objects.filter(pk=soon.pk).exists()
    # The lead's next follow-up is the one still planned; the cancelled one is not "contact".
    lead = Lead.objects.get(pk=lead.pk)
    assert lead.next_follow_up_at == later.due_at and lead.last_contacted_at is None
    entry = lead.activities.get(kind="follow_up_cancelled")
    assert entry.body == "customer travelling, call next month" and entry.actor == acme.alice.user
    assert AuditEvent.objects.get(action="lead.follow_up_cancel").changes == {"follow_up": soon.pk}
    listed = api_as(acme.alice).get(f"/api/v1/leads/{lead.pk}/follow-ups").json()
    assert {(f["id"], f["state"]) for f in listed} == {(soon.pk, "cancelled"), (later.pk, "open")}


def test_cancelled_follow_up_leaves_the_agenda_and_is_not_reminded(acme, new_lead):
    lead = new_lead(acme, name="Raj", by=acme.alice)
    overdue, due_soon = plan(lead, acme.alice, -2), plan(lead, acme.alice, 0.1)
    assert len(selectors.agenda(acme.alice, acme.org.tzinfo)["overdue"]) == 1
    for fu in (overdue, due_soon):
        cancel_follow_up(fu, actor=Actor.for_user(acme.alice.user), by=acme.alice)
    agenda = selectors.agenda(acme.alice, acme.org.tzinfo)
    assert not any(agenda.values())
    assert send_due_reminders() == 0
    assert Lead.objects.get(pk=lead.pk).next_follow_up_at is None


def test_a_follow_up_ends_once_done_or_cancelled(acme, api_as, new_lead):
    lead = new_lead(acme, name="Raj", by=acme.alice)
    first, second = plan(lead, acme.alice, 1), plan(lead, acme.alice, 2)
    alice = api_as(acme.alice)
    assert cancel(alice, first).status_code == 200
    again = cancel(alice, first)
    assert again.status_code == 409 and "already cancelled" in again.json()["detail"]
    done = alice.post(f"/api/v1/follow-ups/{first.pk}/done", {}, content_type="application/json")
    assert done.status_code == 409 and FollowUp.objects.get(pk=first.pk).done_at is None
    complete_follow_up(second, actor=Actor.system(), by=acme.alice)
    late = cancel(alice, second)
    assert late.status_code == 409 and "already done" in late.json()["detail"]
    assert FollowUp.objects.get(pk=second.pk).cancelled_at is None


def test_reassigning_the_lead_leaves_cancelled_follow_ups_with_who_had_them(acme, new_lead):
    lead = new_lead(acme, name="Raj", by=acme.alice)
    open_one, cancelled = plan(lead, acme.alice, 1), plan(lead, acme.alice, 2)
    cancel_follow_up(cancelled, actor=Actor.system(), by=acme.alice)
    assign_lead(lead, acme.bob.user_id, actor=Actor.system(), by=acme.maya)
    assert FollowUp.objects.get(pk=open_one.pk).assignee_id == acme.bob.user_id
    assert FollowUp.objects.get(pk=cancelled.pk).assignee_id == acme.alice.user_id


def test_only_those_who_may_change_the_lead_cancel(acme, api_as, new_lead):
    fu = plan(new_lead(acme, name="Raj", by=acme.bob), acme.bob, 1)
    assert cancel(api_as(acme.alice), fu).status_code == 404  # not her lead: not even visible
    assert cancel(api_as(acme.carl), fu).status_code == 404
    assert cancel(api_as(acme.mani), fu).status_code == 200  # bob's manager
    assert FollowUp.objects.get(pk=fu.pk).cancelled_by_id == acme.mani.user_id


def test_lead_page_cancels_and_shows_it_on_the_timeline(acme, as_member, new_lead):
    lead = new_lead(acme, name="Raj", by=acme.alice)
    fu = plan(lead, acme.alice, 1)
    client = as_member(acme.alice)
    assert f'action="/follow-ups/{fu.pk}/cancel/"' in client.get(f"/leads/{lead.pk}/").content.decode()
    response = client.post(f"/follow-ups/{fu.pk}/cancel/", {"reason": "bought elsewhere"})
    assert response.status_code == 302
    assert FollowUp.objects.get(pk=fu.pk).state == "cancelled"
    page = client.get(f"/leads/{lead.pk}/").content.decode()
    assert f'id="follow-up-{fu.pk}"' not in page  # no longer among the planned ones
    assert "Cancelled the call follow-up: bought elsewhere" in page
