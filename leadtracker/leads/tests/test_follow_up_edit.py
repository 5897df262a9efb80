"""Changing a follow-up: when, kind, note, who and the reminder — through the API and the lead
page, by whoever may change the lead, and never once it is done or cancelled."""

import datetime as dt

import pytest
from django.utils import timezone

from leadtracker.accounts.audit import Actor
from leadtracker.accounts.models import AuditEvent
from leadtracker.leads.actions.assignment import assign_lead
from leadtracker.leads.actions.follow_ups import (
    cancel_follow_up,
    complete_follow_up,
    schedule_follow_up,
    update_follow_up,
)
from leadtracker.leads.models import FollowUp, Lead
from leadtracker.leads.reminders import send_due_reminders

IST = dt.timezone(dt.timedelta(hours=5, minutes=30))


def plan(lead, by, hours=3, **kw):
    return schedule_follow_up(
        lead, due_at=timezone.now() + dt.timedelta(hours=hours), actor=Actor.system(), by=by, **kw
    )


def patch(client, fu, body):
    return client.patch(f"/api/v1/follow-ups/{fu.pk}", body, content_type="application/json")


def test_agent_moves_her_follow_up_and_everything_follows(acme, api_as, new_lead):
    lead = new_lead(acme, name="Raj", by=acme.alice)
    fu = plan(lead, acme.alice, note="call about flat")
    new_due = dt.datetime(2031, 3, 4, 10, 30, tzinfo=IST)
    response = patch(
        api_as(acme.alice),
        fu,
        {"due_at": new_due.isoformat(), "kind": "visit", "note": "site visit", "remind_minutes_before": 60},
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["kind"] == "visit" and body["note"] == "site visit" and body["state"] == "open"
    assert dt.datetime.fromisoformat(body["due_at"]) == new_due and body["remind_minutes_before"] == 60
    fu.refresh_from_db()
    assert fu.remind_at == new_due - dt.timedelta(minutes=60)
    assert Lead.objects.get(pk=lead.pk).next_follow_up_at == new_due
    change = lead.activities.get(kind="follow_up_changed")
    assert change.follow_up_id == fu.pk and change.actor == acme.alice.user
    assert sorted(change.data["fields"]) == ["due_at", "kind", "note", "remind_minutes_before"]
    event = AuditEvent.objects.get(action="lead.follow_up_update")
    assert event.changes["follow_up"] == fu.pk and event.object_id == str(lead.pk)


def test_sending_the_same_values_changes_nothing(acme, api_as, new_lead):
    lead = new_lead(acme, name="Raj", by=acme.alice)
    fu = plan(lead, acme.alice, kind="meeting")
    response = patch(api_as(acme.alice), fu, {"kind": "meeting", "note": ""})
    assert response.status_code == 200
    assert not lead.activities.filter(kind="follow_up_changed").exists()
    assert not AuditEvent.objects.filter(action="lead.follow_up_update").exists()


def test_a_moved_follow_up_is_reminded_again(acme, new_lead):
    lead = new_lead(acme, name="Raj", by=acme.alice)
    fu = plan(lead, acme.alice, hours=0.1)  # due in 6 minutes: reminder due now
    assert send_due_reminders() == 1
    update_follow_up(
        fu, due_at=timezone.now() + dt.timedelta(minutes=10), actor=Actor.system(), by=acme.alice
    )
    assert FollowUp.objects.get(pk=fu.pk).reminder_sent_at is None
    assert send_due_reminders() == 1  # the new time's reminder
    assert send_due_reminders() == 0


def test_a_manager_hands_the_follow_up_to_someone_who_can_open_the_lead(acme, api_as, new_lead):
    lead = new_lead(acme, name="Raj", by=acme.maya)  # unowned: managers see it, agents do not
    fu = plan(lead, acme.maya)
    maya = api_as(acme.maya)
    refused = patch(maya, fu, {"assignee_id": acme.alice.user_id})
    assert refused.status_code == 400 and refused.json()["errors"][0]["field"] == "assignee_id"
    assign_lead(lead, acme.alice.user_id, actor=Actor.system(), by=acme.maya)
    FollowUp.objects.filter(pk=fu.pk).update(assignee_id=acme.maya.user_id)
    moved = patch(maya, fu, {"assignee_id": acme.alice.user_id})
    assert moved.status_code == 200 and moved.json()["assignee_id"] == acme.alice.user_id
    assert patch(maya, fu, {"assignee_id": acme.carl.user_id}).status_code == 403  # not maya's team
    assert patch(maya, fu, {"assignee_id": None}).json()["errors"][0]["field"] == "assignee_id"


def test_an_agent_cannot_change_a_colleagues_follow_up_nor_give_hers_away(acme, api_as, new_lead):
    bobs = plan(new_lead(acme, name="Bob's", phone="91234 56789", by=acme.bob), acme.bob)
    alices = plan(new_lead(acme, name="Alice's", by=acme.alice), acme.alice)
    alice = api_as(acme.alice)
    assert patch(alice, bobs, {"note": "mine now"}).status_code == 404  # she cannot see the lead
    assert FollowUp.objects.get(pk=bobs.pk).note == ""
    assert patch(alice, alices, {"assignee_id": acme.bob.user_id}).status_code == 403
    assert FollowUp.objects.get(pk=alices.pk).assignee_id == acme.alice.user_id


@pytest.mark.parametrize(
    "body, field",
    [
        ({"due_at": "2031-03-04T10:30:00"}, "due_at"),  # no time zone
        ({"due_at": None}, "due_at"),
        ({"kind": "telepathy"}, "kind"),
        ({"remind_minutes_before": -5}, "remind_minutes_before"),
        ({"colour": "red"}, "colour"),
    ],
)
def test_bad_changes_name_the_field(acme, api_as, new_lead, body, field):
    fu = plan(new_lead(acme, name="Raj", by=acme.alice), acme.alice)
    response = patch(api_as(acme.alice), fu, body)
    assert response.status_code in (400, 422), response.content
    assert any(field in e["field"] for e in response.json()["errors"]), response.json()
    assert FollowUp.objects.get(pk=fu.pk).due_at == fu.due_at


def test_a_done_or_cancelled_follow_up_is_history(acme, api_as, new_lead):
    lead = new_lead(acme, name="Raj", by=acme.alice)
    done, cancelled = plan(lead, acme.alice), plan(lead, acme.alice, hours=5)
    complete_follow_up(done, outcome="spoke", actor=Actor.system(), by=acme.alice)
    cancel_follow_up(cancelled, actor=Actor.system(), by=acme.alice)
    alice = api_as(acme.alice)
    for fu, state in ((done, "done"), (cancelled, "cancelled")):
        response = patch(alice, fu, {"note": "rewrite history"})
        assert response.status_code == 409 and state in response.json()["detail"]
        assert FollowUp.objects.get(pk=fu.pk).note == ""


def test_lead_page_changes_a_follow_up(acme, as_member, new_lead):
    lead = new_lead(acme, name="Raj", by=acme.alice)
    fu = plan(lead, acme.alice)
    client = as_member(acme.alice)
    page = client.get(f"/leads/{lead.pk}/").content.decode()
    assert f'action="/follow-ups/{fu.pk}/edit/"' in page
    local = fu.due_at.astimezone(acme.org.tzinfo).strftime("%Y-%m-%dT%H:%M")
    assert f'value="{local}"' in page  # the form starts from the follow-up as it is
    response = client.post(
        f"/follow-ups/{fu.pk}/edit/",
        {
            "due_at": "2031-03-04T10:30",
            "kind": "meeting",
            "note": "at their office",
            "remind_minutes_before": 30,
        },
    )
    assert response.status_code == 302 and response["Location"] == f"/leads/{lead.pk}/"
    fu.refresh_from_db()
    # The page's local time is the organisation's.
    assert fu.due_at == dt.datetime(2031, 3, 4, 10, 30, tzinfo=acme.org.tzinfo)
    assert fu.kind == "meeting" and fu.note == "at their office" and fu.remind_minutes_before == 30
    assert "Changed the meeting follow-up" in client.get(f"/leads/{lead.pk}/").content.decode()


def test_lead_page_lets_a_manager_choose_who(acme, as_member, new_lead):
    lead = new_lead(acme, name="Raj", by=acme.alice)
    fu = plan(lead, acme.alice)
    client = as_member(acme.maya)
    assert f'id="fu{fu.pk}-who"' in client.get(f"/leads/{lead.pk}/").content.decode()
    assert f'id="fu{fu.pk}-who"' not in as_member(acme.alice).get(f"/leads/{lead.pk}/").content.decode()
    client.post(
        f"/follow-ups/{fu.pk}/edit/",
        {
            "due_at": "2031-03-04T10:30",
            "kind": "call",
            "note": "",
            "remind_minutes_before": 15,
            "assignee": acme.maya.user_id,
        },
    )
    assert FollowUp.objects.get(pk=fu.pk).assignee_id == acme.maya.user_id
