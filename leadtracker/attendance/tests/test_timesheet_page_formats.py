"""The timesheet page writes its days, times and hours as every page does: "Mon, 23 Nov",
"9:00 am", "7h 30m" (never 7.50 hours), in the organisation's zone."""

import datetime as dt

from leadtracker.attendance.models import Shift
from leadtracker.testing import clocks, start_test_clock

IST = dt.timezone(dt.timedelta(hours=5, minutes=30))


@clocks("sunday")
def test_days_times_and_hours_read_the_indian_way(frozen_at, acme, as_member):
    start_test_clock()  # Sunday 6 Dec 2026
    day = dt.date(2026, 11, 30)
    Shift.objects.create(
        organisation=acme.org,
        user_id=acme.alice.user_id,
        started_at=dt.datetime.combine(day, dt.time(9), IST),
        ended_at=dt.datetime.combine(day, dt.time(16, 30), IST),
    )
    page = as_member(acme.maya).get("/attendance/timesheets/?from=2026-11-30&to=2026-11-30").content.decode()
    assert "<td>Mon, 30 Nov</td>" in page
    assert "<td>9:00 am</td>" in page and "4:30 pm" in page
    assert "<td>7h 30m</td>" in page and "7.50" not in page


@clocks("sunday")
def test_an_agents_own_timesheet_has_no_person_column(frozen_at, acme, as_member):
    """An agent sees only her own days: a Person column said her name on every row and pushed
    Hours and Breaks out of the table's box on a 360 px phone. A manager still gets it."""
    start_test_clock()  # Sunday 6 Dec 2026
    day = dt.date(2026, 11, 30)
    Shift.objects.create(
        organisation=acme.org,
        user_id=acme.alice.user_id,
        started_at=dt.datetime.combine(day, dt.time(9), IST),
        ended_at=dt.datetime.combine(day, dt.time(16, 30), IST),
    )
    query = "/attendance/timesheets/?from=2026-11-30&to=2026-11-30"
    mine = as_member(acme.alice).get(query).content.decode()
    assert "<th>Person</th>" not in mine and "<td>7h 30m</td>" in mine and "{#" not in mine
    assert "Alice" not in mine.split("<tbody>")[1].split("</tbody>")[0]
    assert "<th>Person</th>" in as_member(acme.maya).get(query).content.decode()
    empty = (
        as_member(acme.alice).get("/attendance/timesheets/?from=2026-11-20&to=2026-11-20").content.decode()
    )
    assert 'colspan="5"' in empty
