"""Managers correct shifts with a reason (audited); timesheets per person and day; CSV."""

import csv
import datetime as dt
import io

from django.utils import timezone

from leadtracker.accounts.models import AuditEvent
from leadtracker.attendance.models import Shift
from leadtracker.attendance.selectors import timesheet

IST = dt.timezone(dt.timedelta(hours=5, minutes=30))


def shift(people, who, start, end):
    return Shift.objects.create(
        organisation=people.org, user_id=getattr(people, who).user_id, started_at=start, ended_at=end
    )


def at(hour: int) -> dt.datetime:
    """That hour two weeks ago: a correction reaches back a year at most, so a fixed date in a
    test would be refused once the year had passed."""
    day = timezone.now().astimezone(IST).date() - dt.timedelta(days=14)
    return dt.datetime.combine(day, dt.time(hour), IST)


def test_manager_corrects_with_reason_and_it_is_audited(acme, api_as):
    s = shift(acme, "alice", at(9), at(21))
    body = {
        "started_at": at(9).isoformat(),
        "ended_at": at(18).isoformat(),
        "reason": "Forgot to punch out; left at 6 pm",
    }
    assert (
        api_as(acme.alice)
        .patch(f"/api/v1/attendance/shifts/{s.pk}", body, content_type="application/json")
        .status_code
        == 403
    )  # not for yourself
    assert (
        api_as(acme.mark)
        .patch(f"/api/v1/attendance/shifts/{s.pk}", body, content_type="application/json")
        .status_code
        == 404
    )  # not mark's team
    response = api_as(acme.maya).patch(
        f"/api/v1/attendance/shifts/{s.pk}", body, content_type="application/json"
    )
    assert response.status_code == 200 and response.json()["correction_reason"] == body["reason"]
    event = AuditEvent.objects.get(action="shift.correct")
    assert event.actor_user == acme.maya.user and event.changes == {"fields": ["ended_at"]}
    assert "Forgot" not in str(event.changes)  # the reason stays on the shift, not in the log


def test_correction_cannot_overlap_or_go_backwards(acme, api_as):
    shift(acme, "alice", at(14), at(18))
    s = shift(acme, "alice", at(9), at(13))
    client = api_as(acme.maya)
    overlap = client.patch(
        f"/api/v1/attendance/shifts/{s.pk}",
        {"started_at": at(9).isoformat(), "ended_at": at(15).isoformat(), "reason": "late"},
        content_type="application/json",
    )
    assert overlap.status_code == 409
    backwards = client.patch(
        f"/api/v1/attendance/shifts/{s.pk}",
        {"started_at": at(9).isoformat(), "ended_at": at(8).isoformat(), "reason": "oops"},
        content_type="application/json",
    )
    assert backwards.status_code == 400 and backwards.json()["errors"][0]["field"] == "ended_at"


def test_timesheet_first_in_last_out_hours_and_breaks(acme):
    day = dt.date(2026, 11, 23)
    shift(
        acme,
        "alice",
        dt.datetime(2026, 11, 23, 9, 30, tzinfo=IST),
        dt.datetime(2026, 11, 23, 13, 0, tzinfo=IST),
    )
    shift(
        acme,
        "alice",
        dt.datetime(2026, 11, 23, 14, 0, tzinfo=IST),
        dt.datetime(2026, 11, 23, 18, 30, tzinfo=IST),
    )
    # A night shift split at midnight.
    shift(
        acme, "bob", dt.datetime(2026, 11, 23, 22, 0, tzinfo=IST), dt.datetime(2026, 11, 24, 2, 0, tzinfo=IST)
    )
    rows = timesheet(acme.olga, day, day + dt.timedelta(days=1), acme.org.tzinfo)
    alice = next(r for r in rows if r["user"] == acme.alice.user)
    assert alice["first_in"] == dt.datetime(2026, 11, 23, 9, 30, tzinfo=IST)
    assert alice["last_out"] == dt.datetime(2026, 11, 23, 18, 30, tzinfo=IST)
    assert alice["hours"] == 8.0 and alice["break_minutes"] == 60 and alice["shifts"] == 2
    bob = [(r["day"], r["hours"]) for r in rows if r["user"] == acme.bob.user]
    assert bob == [(day, 2.0), (day + dt.timedelta(days=1), 2.0)]
    # Visibility: mani sees bob's rows only.
    assert {r["user"] for r in timesheet(acme.mani, day, day, acme.org.tzinfo)} == {acme.bob.user}


def test_timesheet_csv(acme, as_member):
    shift(
        acme,
        "alice",
        dt.datetime(2026, 11, 23, 9, 30, tzinfo=IST),
        dt.datetime(2026, 11, 23, 18, 0, tzinfo=IST),
    )
    response = as_member(acme.maya).get("/attendance/timesheets/?from=2026-11-23&to=2026-11-23&format=csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:4] == ["date", "person", "email", "first_in"]
    assert rows[1][:6] == ["2026-11-23", "Alice Acme", "alice@acme.test", "09:30", "18:00", "8.50"]


def test_who_is_on_shift(acme, api_as):
    api_as(acme.bob).post("/api/v1/attendance/punch-in")
    rows = api_as(acme.maya).get("/api/v1/attendance/on-shift").json()
    assert [r["full_name"] for r in rows if r["on_shift"]] == ["Bob Acme"]
    assert {r["full_name"] for r in rows} == {"Maya Acme", "Mani Acme", "Alice Acme", "Bob Acme"}
    assert api_as(acme.alice).get("/api/v1/attendance/on-shift").status_code == 403
