"""A shift's times stay within their windows: a punch within the sync protocol's (24 hours back,
5 minutes ahead), a manager's correction within the last year and not in the future, a list of
shifts or a timesheet within fifty years of today. Out of range is a 422 naming the field (the
device agent drops a punch refused with 422 rather than send it again), or on the page the
field's name and why; nothing is stored."""

import datetime as dt

import pytest
from django.utils import timezone

from leadtracker.accounts.models import AuditEvent
from leadtracker.attendance.models import Shift
from leadtracker.testing import window_refusal

LAST = "9999-12-31T23:59:59Z"
FIRST = "0001-01-01T00:00:00+05:30"


def post(client, url, body):
    return client.post(url, body, content_type="application/json")


def error(response):
    assert response.status_code == 422, response.content
    return response.json()["errors"][0]


@pytest.mark.parametrize(
    "at, message",
    [
        (LAST, "is more than 5 minutes in the future"),
        (FIRST, "is more than 24 hours in the past"),
    ],
)
def test_a_punch_in_out_of_the_protocols_window(acme, api_as, at, message):
    client = api_as(acme.alice)
    assert error(post(client, "/api/v1/attendance/punch-in", {"at": at})) == window_refusal("at", message)
    assert not Shift.objects.exists()


def test_a_punch_out_in_9999(acme, api_as):
    client = api_as(acme.alice)
    assert post(client, "/api/v1/attendance/punch-in", {}).status_code == 201
    assert error(post(client, "/api/v1/attendance/punch-out", {"at": LAST}))["field"] == "at"
    assert Shift.objects.get().ended_at is None


@pytest.fixture
def yesterdays(acme):
    start = (timezone.now() - dt.timedelta(days=1)).replace(microsecond=0)
    return Shift.objects.create(
        organisation=acme.org,
        user=acme.alice.user,
        started_at=start,
        ended_at=start + dt.timedelta(hours=12),
    )


@pytest.mark.parametrize(
    "body, field, message",
    [
        ({"started_at": LAST, "ended_at": LAST}, "started_at", "is more than 5 minutes in the future"),
        ({"started_at": FIRST, "ended_at": FIRST}, "started_at", "is more than 1 year in the past"),
        (
            {"started_at": (timezone.now() - dt.timedelta(hours=30)).isoformat(), "ended_at": LAST},
            "ended_at",
            "is more than 5 minutes in the future",
        ),
    ],
    ids=["in-9999", "in-year-1", "ending-in-9999"],
)
def test_a_correction_out_of_range(acme, api_as, yesterdays, body, field, message):
    before = (yesterdays.started_at, yesterdays.ended_at)
    response = api_as(acme.maya).patch(
        f"/api/v1/attendance/shifts/{yesterdays.pk}",
        {**body, "reason": "typed the wrong year"},
        content_type="application/json",
    )
    assert error(response) == window_refusal(field, message)
    yesterdays.refresh_from_db()
    assert (yesterdays.started_at, yesterdays.ended_at) == before
    assert not AuditEvent.objects.filter(action="shift.correct").exists()


def test_a_correction_more_than_a_year_back(acme, api_as, yesterdays):
    start = timezone.now() - dt.timedelta(days=400)
    response = api_as(acme.maya).patch(
        f"/api/v1/attendance/shifts/{yesterdays.pk}",
        {
            "started_at": start.isoformat(),
            "ended_at": (start + dt.timedelta(hours=8)).isoformat(),
            "reason": "moved to last year",
        },
        content_type="application/json",
    )
    assert error(response) == window_refusal("started_at", "is more than 1 year in the past")


def test_the_correction_page_names_the_field(acme, as_member, yesterdays):
    response = as_member(acme.maya).post(
        f"/attendance/shifts/{yesterdays.pk}/",
        {"started_at": "9999-12-31T09:00", "ended_at": "9999-12-31T18:00", "reason": "typed 9999"},
    )
    assert response.status_code == 422
    assert "<strong>Started:</strong> is more than 5 minutes in the future" in response.content.decode()
    assert Shift.objects.get().started_at == yesterdays.started_at


def test_listing_shifts_at_the_end_of_time(acme, api_as):
    """A one-day period in 9999, at an offset that moves it past the year 9999 in UTC."""
    response = api_as(acme.maya).get(
        "/api/v1/attendance/shifts",
        {"start": "9999-12-30T23:59:59-05:00", "end": "9999-12-31T23:59:59-05:00"},
    )
    assert error(response) == window_refusal("start", "is more than 50 years in the future")


@pytest.mark.parametrize("query", ["from=0001-01-01&to=0001-01-05", "from=9999-12-25&to=9999-12-31"])
def test_a_timesheet_of_year_1_or_9999_shows_this_week_and_says_why(acme, as_member, query):
    response = as_member(acme.maya).get(f"/attendance/timesheets/?{query}")
    assert response.status_code == 200
    page = response.content.decode()
    assert "From: is more than 50 years in the" in page and "To: is more than 50 years in the" in page
    assert response.context["date_to"] == timezone.localdate(timezone=acme.org.tzinfo)
