"""The outcome sheet over the API (POST /api/v1/leads/{id}/sheet, /api/v1/calls/{id}/sheet): the
same rules as the page - status moved, one open follow-up, a required follow-up refused, a key
saved once - for the phone's prompt after a call."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from leadtracker.calls.models import Call, Outcome
from leadtracker.leads.models import FollowUp
from leadtracker.testing import call, clocks, make_lead, send

IST = ZoneInfo("Asia/Kolkata")


def post(client, url, body):
    return client.post(url, body, content_type="application/json")


def outcome(people, name):
    return Outcome.objects.get(organisation=people.org, name=name).pk


@clocks("sunday")
@pytest.mark.django_db
def test_a_lead_sheet_by_quick_time_and_its_resend(frozen_at, acme, api_as):
    lead = make_lead(acme, owner=acme.alice)
    client = api_as(acme.alice)
    body = {"outcome_id": outcome(acme, "Interested"), "follow_up": {"quick": "tomorrow"}, "key": "p1"}
    answer = post(client, f"/api/v1/leads/{lead.pk}/sheet", body)
    assert answer.status_code == 200, answer.content
    first = answer.json()
    assert first["saved"] and first["lead_id"] == lead.pk
    lead.refresh_from_db()
    assert lead.status.name == "Interested"
    assert FollowUp.objects.open().get(lead=lead).due_at == dt.datetime(2026, 12, 7, 11, tzinfo=IST)
    again = post(client, f"/api/v1/leads/{lead.pk}/sheet", body).json()
    assert again == dict(first, saved=False)
    assert Call.objects.count() == 1 and FollowUp.objects.filter(lead=lead).count() == 1
    # The key is Alice's: Bob's client sending it is told so, and learns nothing of her call.
    bobs = make_lead(acme, owner=acme.bob, phone="98765 11111")
    answer = post(api_as(acme.bob), f"/api/v1/leads/{bobs.pk}/sheet", body)
    assert answer.status_code == 409 and str(first["call_id"]) not in answer.content.decode()


@pytest.mark.django_db
def test_a_required_follow_up_and_a_bad_follow_up_are_refused(acme, api_as):
    lead = make_lead(acme, owner=acme.alice)
    client = api_as(acme.alice)
    answer = post(client, f"/api/v1/leads/{lead.pk}/sheet", {"outcome_id": outcome(acme, "No answer")})
    assert answer.status_code == 400
    said = answer.content.decode()
    assert "needs a next follow-up" in said and "follow_up.due_at" in said
    both = {"quick": "tomorrow", "due_at": "2030-01-01T11:00:00+05:30"}
    answer = post(client, f"/api/v1/leads/{lead.pk}/sheet", {"outcome_id": 1, "follow_up": both})
    assert answer.status_code == 422
    assert not Call.objects.exists()


@pytest.mark.django_db
def test_a_call_sheet_for_a_synced_call(acme, phone, api_as):
    lead = make_lead(acme, owner=acme.alice)
    send(phone, [call(1, duration_s=60, minutes_ago=20)])
    synced = Call.objects.get()
    body = {"outcome_id": outcome(acme, "Not interested"), "note": "Bought elsewhere"}
    answer = post(api_as(acme.alice), f"/api/v1/calls/{synced.pk}/sheet", body)
    assert answer.status_code == 200 and answer.json()["call_id"] == synced.pk
    lead.refresh_from_db()
    assert lead.status.name == "Lost"


@pytest.mark.django_db
def test_another_organisations_lead_call_or_outcome_is_a_404(acme, globex, api_as):
    from leadtracker.accounts.audit import Actor
    from leadtracker.calls.actions import log_call

    theirs = make_lead(globex, owner=globex.alice)
    their_call, _ = log_call(globex.alice, lead=theirs, actor=Actor.for_user(globex.alice.user))
    client = api_as(acme.olga)
    body = {"outcome_id": outcome(acme, "Interested"), "follow_up": {"quick": "tomorrow"}}
    assert post(client, f"/api/v1/leads/{theirs.pk}/sheet", body).status_code == 404
    assert post(client, f"/api/v1/calls/{their_call.pk}/sheet", body).status_code == 404
    mine = make_lead(acme, owner=acme.olga, phone="98765 22222")
    body = {"outcome_id": outcome(globex, "Not interested")}
    assert post(client, f"/api/v1/leads/{mine.pk}/sheet", body).status_code == 404
    assert not Call.objects.filter(lead=mine).exists()
