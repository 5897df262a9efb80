"""Open shifts close at the organisation's working-day end, by the worker, marked as such."""

import datetime as dt

from leadtracker.accounts.models import AuditEvent
from leadtracker.attendance.actions import close_open_shifts, day_end_after
from leadtracker.attendance.models import Shift
from leadtracker.testing import clocks

IST = dt.timezone(dt.timedelta(hours=5, minutes=30))


def test_left_open_shift_closes_at_day_end(acme):
    started = dt.datetime(2026, 11, 23, 9, 30, tzinfo=IST)
    shift = Shift.objects.create(organisation=acme.org, user=acme.alice.user, started_at=started)
    assert close_open_shifts(now=dt.datetime(2026, 11, 23, 20, 59, tzinfo=IST)) == 0
    assert close_open_shifts(now=dt.datetime(2026, 11, 23, 21, 1, tzinfo=IST)) == 1
    shift.refresh_from_db()
    assert shift.ended_at == dt.datetime(2026, 11, 23, 21, 0, tzinfo=IST) and shift.closed_automatically
    assert AuditEvent.objects.filter(
        action="shift.auto_close", object_id=str(shift.pk), actor_kind="system"
    ).exists()


def test_night_shift_closes_at_the_next_day_end(acme):
    started = dt.datetime(2026, 11, 23, 22, 0, tzinfo=IST)  # after 21:00
    assert day_end_after(acme.org, started) == dt.datetime(2026, 11, 24, 21, 0, tzinfo=IST)
    Shift.objects.create(organisation=acme.org, user=acme.alice.user, started_at=started)
    assert close_open_shifts(now=dt.datetime(2026, 11, 24, 9, 0, tzinfo=IST)) == 0


def test_the_worker_job_is_registered():
    from leadtracker.accounts.scheduler import load_jobs
    from leadtracker.lib.periodic import REGISTRY

    load_jobs()
    assert "leadtracker.attendance.tasks.close_open_shifts" in REGISTRY


@clocks()
def test_the_worker_closes_yesterdays_shift_and_keeps_one_begun_an_hour_ago(frozen_at, acme):
    """What the worker does at the clock it runs at (no time passed in): yesterday's shift,
    forgotten open, ends at yesterday's day end; one begun an hour ago stays open, across
    midnight too (begun after a day end, at 22:55 or at 23:05 the day before, it ends at the
    next one)."""
    tz = acme.org.tzinfo
    now = frozen_at.astimezone(tz)
    yesterday = now.date() - dt.timedelta(days=1)
    forgotten = Shift.objects.create(
        organisation=acme.org,
        user=acme.alice.user,
        started_at=dt.datetime.combine(yesterday, dt.time(9, 30), tz),
    )
    recent = Shift.objects.create(
        organisation=acme.org, user=acme.bob.user, started_at=now - dt.timedelta(hours=1)
    )
    assert close_open_shifts() == 1
    forgotten.refresh_from_db()
    recent.refresh_from_db()
    assert forgotten.ended_at == dt.datetime.combine(yesterday, dt.time(21, 0), tz)
    assert forgotten.closed_automatically and recent.ended_at is None
