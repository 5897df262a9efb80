"""Punching in and out, through the API as the sync protocol says and from the web page."""

import datetime as dt

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from leadtracker.accounts.models import AuditEvent, Organisation
from leadtracker.attendance.models import Shift
from leadtracker.testing import clocks


def post(client, url, body=None):
    if body is None:
        return client.post(url)
    return client.post(url, body, content_type="application/json")


def test_punch_in_twice_returns_the_same_open_shift(acme, api_as):
    client = api_as(acme.alice)
    first = post(client, "/api/v1/attendance/punch-in")
    again = post(client, "/api/v1/attendance/punch-in")
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"]
    assert Shift.objects.filter(user=acme.alice.user).count() == 1


def test_punch_out_without_a_shift_is_409(acme, api_as):
    response = post(api_as(acme.alice), "/api/v1/attendance/punch-out")
    assert response.status_code == 409
    assert response.json()["errors"][0]["field"] == "shift"


def test_one_open_shift_is_a_database_constraint(acme):
    now = timezone.now()
    Shift.objects.create(organisation=acme.org, user=acme.alice.user, started_at=now)
    with pytest.raises(IntegrityError), transaction.atomic():
        Shift.objects.create(organisation=acme.org, user=acme.alice.user, started_at=now)


@clocks()
def test_offline_time_is_accepted_within_24_hours_and_5_minutes_ahead(frozen_at, acme, api_as):
    client = api_as(acme.alice)
    now = timezone.now()
    too_old = post(client, "/api/v1/attendance/punch-in", {"at": (now - dt.timedelta(hours=25)).isoformat()})
    # 422: the device agent drops a punch refused so rather than send it again.
    assert too_old.status_code == 422 and too_old.json()["errors"][0]["field"] == "at"
    assert too_old.json()["errors"][0]["message"] == "is more than 24 hours in the past"
    too_new = post(client, "/api/v1/attendance/punch-in", {"at": (now + dt.timedelta(minutes=6)).isoformat()})
    assert too_new.status_code == 422
    assert too_new.json()["errors"][0]["message"] == "is more than 5 minutes in the future"
    at = (now - dt.timedelta(hours=3)).replace(microsecond=0)
    ok = post(client, "/api/v1/attendance/punch-in", {"at": at.isoformat()})
    assert ok.status_code == 201 and dt.datetime.fromisoformat(ok.json()["started_at"]) == at
    clock_ahead = (now + dt.timedelta(minutes=3)).isoformat()  # a phone 3 minutes fast
    out = post(client, "/api/v1/attendance/punch-out", {"at": clock_ahead})
    assert out.status_code == 200 and out.json()["ended_at"]


def test_location_is_kept_only_when_the_organisation_asks(acme, api_as):
    client = api_as(acme.alice)
    body = {"location": {"lat": 19.0760, "lon": 72.8777, "accuracy_m": 12}}
    shift = post(client, "/api/v1/attendance/punch-in", body).json()
    assert shift["start_location"] is None
    post(client, "/api/v1/attendance/punch-out")
    Organisation.objects.filter(pk=acme.org.pk).update(shift_location=True)
    shift = post(client, "/api/v1/attendance/punch-in", body).json()
    assert shift["start_location"] == {"lat": 19.076, "lon": 72.8777, "accuracy_m": 12.0}
    bad = post(client, "/api/v1/attendance/punch-out", {"location": {"lat": 123, "lon": 0}})
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "location.lat"


def test_unknown_fields_are_refused(acme, api_as):
    response = post(api_as(acme.alice), "/api/v1/attendance/punch-in", {"at": None, "selfie": "…"})
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "selfie"


def test_device_tokens_may_punch(acme, api_as):
    device = api_as(acme.alice, kind="device")
    response = post(device, "/api/v1/attendance/punch-in")
    assert response.status_code == 201 and response.json()["started_via"] == "device"
    assert device.get("/api/v1/leads").status_code == 401  # but nothing else


def test_web_punch_button(acme, as_member):
    client = as_member(acme.bob)
    assert client.post("/attendance/punch/", {"action": "in"}).status_code == 302
    assert "Punch out" in client.get("/attendance/").content.decode()
    assert client.post("/attendance/punch/", {"action": "out"}).status_code == 302
    shift = Shift.objects.get(user=acme.bob.user)
    assert shift.ended_at and shift.started_via == "web"
    assert AuditEvent.objects.filter(action__in=["shift.punch_in", "shift.punch_out"]).count() == 2


def test_a_new_shift_cannot_start_before_the_last_one_ended(acme, api_as):
    client = api_as(acme.alice)
    post(client, "/api/v1/attendance/punch-in", {"at": (timezone.now() - dt.timedelta(hours=2)).isoformat()})
    post(client, "/api/v1/attendance/punch-out")
    back = post(
        client, "/api/v1/attendance/punch-in", {"at": (timezone.now() - dt.timedelta(hours=1)).isoformat()}
    )
    assert back.status_code == 409
