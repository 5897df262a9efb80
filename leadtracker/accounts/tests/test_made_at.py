"""Writes made offline are recorded at the time they were made (X-Made-At, sent with the
Idempotency-Key by the web app's outbox or any API client), within bounds: a note, a follow-up
planned or done, a new lead, an outcome (and the status it moves) made three hours before the
network came back sit three hours back on the lead's timeline, marked as made offline; a time
ahead of the server's clock or older than the keys are kept is replaced by the arrival time,
with a note saying why (accounts/idempotency.py)."""

import datetime as dt

import pytest
from django.utils import timezone

from leadtracker.accounts import idempotency
from leadtracker.accounts.audit import Actor
from leadtracker.calls.models import Call, Outcome
from leadtracker.leads.actions.follow_ups import schedule_follow_up
from leadtracker.leads.models import Activity, ActivityKind, FollowUp, Lead
from leadtracker.testing import login_client, make_lead, token_client

HOURS_AGO = 3


def made(hours=HOURS_AGO) -> dt.datetime:
    return timezone.now() - dt.timedelta(hours=hours)


def offline(at: dt.datetime, key: str) -> dict:
    """The headers the outbox sends a queued write with."""
    return {"HTTP_IDEMPOTENCY_KEY": key, "HTTP_X_MADE_AT": at.isoformat(), "HTTP_X_REPLAY": "queued"}


def api(at: dt.datetime, key: str) -> dict:
    return {"HTTP_IDEMPOTENCY_KEY": key, "HTTP_X_MADE_AT": at.isoformat(), "content_type": "application/json"}


def not_interested(people) -> int:
    """An outcome that moves the lead (to Lost) and asks no follow-up."""
    return Outcome.objects.get(organisation=people.org, name="Not interested").pk


def entry(lead, kind) -> Activity:
    return Activity.objects.get(lead=lead, kind=kind)


def assert_made_offline(activity: Activity, at: dt.datetime) -> None:
    assert activity.at == at
    arrived = dt.datetime.fromisoformat(activity.data["arrived_at"])
    assert dt.timedelta(hours=HOURS_AGO) <= arrived - at < dt.timedelta(hours=HOURS_AGO, minutes=1)


def test_a_note_follow_ups_and_an_outcome_made_offline_keep_their_time(acme):
    lead = make_lead(acme, owner=acme.alice)
    client = login_client(acme.alice)
    at = made()
    answer = client.post(f"/leads/{lead.pk}/note/", {"body": "Wants a quote"}, **offline(at, "note-0001"))
    assert answer.status_code == 200 and answer["X-Replay"] == "done"
    assert_made_offline(entry(lead, ActivityKind.NOTE), at)

    fields = {"due_at": "2030-01-02T11:00", "kind": "call", "remind_minutes_before": "15"}
    client.post(f"/leads/{lead.pk}/follow-up/", fields, **offline(at, "plan-0001"))
    assert_made_offline(entry(lead, ActivityKind.FOLLOW_UP), at)
    fu = FollowUp.objects.get(lead=lead)
    later = at + dt.timedelta(minutes=20)
    client.post(f"/follow-ups/{fu.pk}/done/", {"outcome": "Spoke"}, **offline(later, "done-0001"))
    fu.refresh_from_db()
    assert fu.done_at == later
    assert entry(lead, ActivityKind.FOLLOW_UP_DONE).at == later

    # The outcome sheet of a lead with no synced call logs the call then; its status moves then.
    sheet = {"outcome": not_interested(acme), "when": "", "key": "sheet-0001"}
    client.post(f"/calls/sheet/lead/{lead.pk}/", sheet, **offline(at, "sheet-0001"))
    call = Call.objects.get(lead=lead)
    assert call.started_at == at.replace(microsecond=0) and call.disposed_at == at
    assert_made_offline(entry(lead, ActivityKind.STATUS), at)

    # The timeline shows them in the order they were made, each marked.
    page = client.get(f"/leads/{lead.pk}/").content.decode()
    assert page.count("made offline, sent later") == 4
    assert page.index("Follow-up done") < page.index("Wants a quote")


def test_an_outcome_on_a_synced_call_and_a_new_lead_made_offline(acme):
    lead = make_lead(acme, owner=acme.alice)
    call = Call.objects.create(
        organisation=acme.org,
        user=acme.alice.user,
        lead=lead,
        number=lead.phone,
        type="outgoing",
        status="answered",
        direction="out",
        started_at=made(4),
        duration_s=60,
    )
    client = login_client(acme.alice)
    at = made()
    sheet = {"outcome": not_interested(acme), "when": "", "key": "sheet-0002"}
    client.post(f"/calls/{call.pk}/sheet/", sheet, **offline(at, "sheet-0002"))
    call.refresh_from_db()
    assert call.disposed_at == at and call.outcome_id == not_interested(acme)

    client.post("/leads/new/", {"name": "Ravi", "phones": "98111 22233"}, **offline(at, "lead-0001"))
    new = Lead.objects.get(name="Ravi")
    assert new.created_at == at
    assert_made_offline(entry(new, ActivityKind.CREATED), at)


def test_the_api_honours_the_made_time_too(acme):
    lead = make_lead(acme, owner=acme.alice)
    client = token_client(acme.alice)
    at = made()
    answer = client.post(f"/api/v1/leads/{lead.pk}/notes", {"body": "By API"}, **api(at, "api-note-01"))
    assert answer.status_code == 201
    assert_made_offline(entry(lead, ActivityKind.NOTE), at)
    body = {"due_at": "2030-01-02T11:00:00+05:30", "kind": "call"}
    assert (
        client.post(f"/api/v1/leads/{lead.pk}/follow-ups", body, **api(at, "api-plan-01")).status_code == 201
    )
    assert_made_offline(entry(lead, ActivityKind.FOLLOW_UP), at)
    body = {"name": "Meera", "phones": ["+919812300000"]}
    assert client.post("/api/v1/leads", body, **api(at, "api-lead-01")).status_code == 201
    assert Lead.objects.get(name="Meera").created_at == at
    body = {"outcome_id": not_interested(acme), "key": "api-sheet-01"}
    answer = client.post(f"/api/v1/leads/{lead.pk}/sheet", body, **api(at, "api-sheet-01"))
    assert answer.status_code == 200, answer.content
    assert Call.objects.get(pk=answer.json()["call_id"]).disposed_at == at


@pytest.mark.parametrize(
    ("shift", "note"),
    [
        (dt.timedelta(hours=1), "its time was in the future (a clock set wrong): recorded when it arrived"),
        (-dt.timedelta(hours=25), "made more than 24 hours before it arrived: recorded when it arrived"),
    ],
)
def test_a_time_out_of_bounds_is_the_arrival_time_with_a_note(acme, shift, note):
    lead = make_lead(acme, owner=acme.alice)
    client = login_client(acme.alice)
    before = timezone.now()
    client.post(f"/leads/{lead.pk}/note/", {"body": "Odd clock"}, **offline(before + shift, "bounds-001"))
    written = entry(lead, ActivityKind.NOTE)
    assert before <= written.at <= timezone.now()
    assert written.data == {"made_note": note}
    assert f"made offline: {note}" in client.get(f"/leads/{lead.pk}/").content.decode()


def test_a_clock_a_little_ahead_or_a_write_sent_at_once_is_simply_now(acme):
    lead = make_lead(acme, owner=acme.alice)
    client = login_client(acme.alice)
    ahead = timezone.now() + dt.timedelta(minutes=2)
    client.post(f"/leads/{lead.pk}/note/", {"body": "Ahead"}, **offline(ahead, "ahead-0001"))
    written = entry(lead, ActivityKind.NOTE)
    assert written.at <= timezone.now() and written.data == {}
    # Without a key the header is not the outbox's: the write is now.
    client.post(
        f"/leads/{lead.pk}/follow-up/",
        {"due_at": "2030-01-02T11:00", "kind": "call", "remind_minutes_before": "15"},
        HTTP_X_MADE_AT=made().isoformat(),
    )
    assert timezone.now() - entry(lead, ActivityKind.FOLLOW_UP).at < dt.timedelta(minutes=1)


def test_actions_outside_a_keyed_request_use_now(acme):
    lead = make_lead(acme, owner=acme.alice)
    assert idempotency.made_marks() == {}
    fu = schedule_follow_up(
        lead,
        due_at=timezone.now() + dt.timedelta(days=1),
        actor=Actor.for_user(acme.alice.user),
        by=acme.alice,
    )
    assert timezone.now() - entry(fu.lead, ActivityKind.FOLLOW_UP).at < dt.timedelta(minutes=1)
