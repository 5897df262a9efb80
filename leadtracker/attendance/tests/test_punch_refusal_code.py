"""A punch too far ahead is refused with a code a program reads (issue 20 §3): the message is in
the phone's person's language, and the device agent resends the punch in the server's time on
the code "in_the_future", not on the English word (agent/tests/test_punch_ahead_in_hindi.py)."""

import datetime as dt

from django.utils import timezone

from leadtracker.testing import paired_client


def test_a_hindi_phones_punch_too_far_ahead_carries_the_code(acme):
    acme.alice.user.language = "hi"
    acme.alice.user.save(update_fields=["language"])
    client = paired_client(acme.alice)
    ahead = (timezone.now() + dt.timedelta(minutes=30)).isoformat()
    answer = client.post("/api/v1/attendance/punch-in", {"at": ahead}, content_type="application/json")
    assert answer.status_code == 422
    [error] = answer.json()["errors"]
    assert error == {"field": "at", "message": "5 मिनट से ज़्यादा आगे का है", "code": "in_the_future"}
    behind = (timezone.now() - dt.timedelta(days=3)).isoformat()
    answer = client.post("/api/v1/attendance/punch-in", {"at": behind}, content_type="application/json")
    assert answer.json()["errors"][0]["code"] == "in_the_past"


def test_a_refusal_without_a_code_has_no_code_field(acme):
    client = paired_client(acme.alice)
    answer = client.post("/api/v1/attendance/punch-out", {}, content_type="application/json")
    assert answer.status_code == 409
    assert all(set(e) == {"field", "message"} for e in answer.json()["errors"])
