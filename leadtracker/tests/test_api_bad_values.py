"""Values the API schemas let through but the database cannot hold answer 4xx naming the field,
never 500 (both found by the API fuzzer, leadtracker/tests/test_api_fuzz.py)."""

import json

from leadtracker.testing import window_refusal


def test_a_number_beyond_64_bits_is_bad_input_naming_the_field(acme, api_as):
    """Found by the fuzzer: such a number reached the database driver and answered 500."""
    client = api_as(acme.olga)
    huge = 2**70
    response = client.post(
        "/api/v1/assignment-rules",
        data={"name": "Big", "agent_ids": [acme.alice.user_id, huge]},
        content_type="application/json",
    )
    # SQLite cannot take the number at all: 422 naming it. PostgreSQL compares it and finds no
    # such agent: 404, as for any id that does not exist.
    assert response.status_code in (404, 422), response.content
    if response.status_code == 422:
        assert response.json()["errors"] == [
            {"field": "agent_ids.1", "message": f"a number of at most {2**63 - 1}"}
        ]
    response = client.get(f"/api/v1/leads?owner={huge}")
    assert response.status_code in (200, 422), response.content  # PostgreSQL compares it; SQLite cannot
    if response.status_code == 422:
        assert response.json()["errors"][0]["field"] == "owner"


def test_a_shift_correction_spanning_years_is_refused(acme, api_as):
    """Found by the fuzzer: a correction from year 1 to 9999 had every person-day of the span
    recomputed, keeping the request busy for minutes."""
    import datetime as dt

    from django.utils import timezone

    from leadtracker.attendance.models import Shift

    end = timezone.now() - dt.timedelta(days=1)
    shift = Shift.objects.create(
        organisation=acme.org,
        user_id=acme.alice.user_id,
        started_at=end - dt.timedelta(hours=8),
        ended_at=end,
    )
    response = api_as(acme.maya).patch(
        f"/api/v1/attendance/shifts/{shift.pk}",
        data={"started_at": "0001-01-01T00:00:00Z", "ended_at": "9999-12-31T00:00:00Z", "reason": "typo"},
        content_type="application/json",
    )
    # Refused at its first time now: a correction reaches back a year at most (issue 15 item 5).
    assert response.status_code == 422, response.content
    error = response.json()["errors"][0]
    assert error == window_refusal("started_at", "is more than 1 year in the past")
    # Within the year, a span of days is still refused for its length.
    response = api_as(acme.maya).patch(
        f"/api/v1/attendance/shifts/{shift.pk}",
        data={
            "started_at": (end - dt.timedelta(days=10)).isoformat(),
            "ended_at": end.isoformat(),
            "reason": "typo",
        },
        content_type="application/json",
    )
    assert response.status_code == 400, response.content
    assert response.json()["errors"] == [{"field": "ended_at", "message": "a shift lasts at most 48 hours"}]
    shift.refresh_from_db()
    assert shift.started_at == end - dt.timedelta(hours=8)


def test_a_value_the_database_refuses_is_named_when_the_request_holds_it():
    """A value refused by the database itself (what the check before the handler cannot see,
    say text a handler reads and stores as it is) is still named by its field when the request
    holds it; only a refusal that no field explains keeps the database's words and field ""."""
    from django.db import DataError
    from django.test import RequestFactory

    from leadtracker.api import on_unstorable_value

    factory = RequestFactory()
    request = factory.post(
        "/api/v1/anything?since=2026-01-01T00:00:00%2B18:00",
        {"calls": [{"started_at": "2026-01-01T10:00:00-16:00", "number": "98\u000076", "n": 2**70}]},
        content_type="application/json",
    )
    response = on_unstorable_value(request, DataError("time zone displacement out of range"))
    assert response.status_code == 422
    assert json.loads(response.content)["errors"] == [
        {"field": "since", "message": "a UTC offset of at most ±15:59"},
        {"field": "calls.0.started_at", "message": "a UTC offset of at most ±15:59"},
        {"field": "calls.0.number", "message": "text cannot contain the NUL character (U+0000)"},
        {"field": "calls.0.n", "message": f"a number of at most {2**63 - 1}"},
    ]
    form = factory.post("/api/v1/anything", {"city": "Pu\u0000ne", "name": "Kavya"})  # multipart
    response = on_unstorable_value(form, DataError("unsupported Unicode escape sequence"))
    assert json.loads(response.content)["errors"] == [
        {"field": "city", "message": "text cannot contain the NUL character (U+0000)"}
    ]

    ordinary = factory.post(
        "/api/v1/anything",
        {
            "started_at": "2026-01-01T10:00:00+05:30",
            "number": "98765 43210",
            "n": 2**63 - 1,
            "big": "١٢٣",
            "square": "²",
        },
        content_type="application/json",
    )
    response = on_unstorable_value(ordinary, DataError("unsupported Unicode escape sequence\nDETAIL: more"))
    assert response.status_code == 422
    assert json.loads(response.content)["errors"] == [
        {"field": "", "message": "unsupported Unicode escape sequence"}
    ]
    # An overflow that no field explains is our fault, not the client's.
    assert on_unstorable_value(ordinary, OverflowError("date value out of range")).status_code == 500
