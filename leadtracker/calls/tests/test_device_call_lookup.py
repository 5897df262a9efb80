"""A phone finds the server's call for a call-log row it synced (GET /api/v1/devices/me/calls),
to prompt for its outcome and record the answer on that call, once."""

from django.test import Client

from leadtracker.calls.models import Call, Outcome
from leadtracker.testing import call, open_shift, paired_client, send


def test_a_phone_finds_its_synced_call_and_records_the_outcome_once(acme, new_lead):
    lead = new_lead(acme, by=acme.alice, name="Asha Sharma", phone="+919876543210")
    open_shift(acme.alice)
    phone = paired_client(acme.alice)
    assert send(phone, [call(1, duration_s=130)]).json()["stored"] == 1
    response = phone.get("/api/v1/devices/me/calls", {"device_call_id": "1001"})
    assert response.status_code == 200
    found = response.json()
    stored = Call.objects.get()
    assert found["id"] == stored.pk and found["lead_id"] == lead.pk
    assert found["lead_name"] == "Asha Sharma" and found["duration_s"] == 130 and found["outcome_id"] is None
    assert found["sheet_path"].startswith("/calls/")
    interested = Outcome.objects.get(organisation=acme.org, name="Interested")
    for _ in range(2):  # pressed twice, or resent after a lost answer
        answer = phone.post(
            f"/api/v1/calls/{found['id']}/outcome",
            {"outcome_id": interested.pk},
            content_type="application/json",
        )
        assert answer.status_code == 200
    stored.refresh_from_db()
    assert stored.outcome_id == interested.pk and Call.objects.count() == 1


def test_only_this_phones_calls_are_found(acme, globex):
    open_shift(acme.alice)
    open_shift(acme.bob)
    send(paired_client(acme.bob), [call(1)])
    alice_phone = paired_client(acme.alice)
    assert alice_phone.get("/api/v1/devices/me/calls", {"device_call_id": "1001"}).status_code == 404
    open_shift(globex.alice)
    send(paired_client(globex.alice), [call(2)])
    assert alice_phone.get("/api/v1/devices/me/calls", {"device_call_id": "1002"}).status_code == 404
    assert Client().get("/api/v1/devices/me/calls", {"device_call_id": "1001"}).status_code == 401
