"""Open shifts close at the organisation's working-day end, by the worker, marked as such."""

import datetime as dt

from leadtracker.accounts.models import AuditEvent
from leadtracker.attendance.actions import close_open_shifts, day_end_after
from leadtracker.attendance.models import Shift

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
