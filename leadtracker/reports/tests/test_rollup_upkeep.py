"""Roll-ups kept up to date in the same transaction as the write: synced calls (resent ones
once, a batch over midnight in IST on two days), manual logs, call-backs closed by a colleague,
shifts closed, auto-closed and corrected — each time equal to a direct aggregate of the raw rows."""

import datetime as dt

from django.utils import timezone

from leadtracker.accounts.audit import Actor
from leadtracker.attendance import actions as attendance
from leadtracker.attendance.models import Shift
from leadtracker.calls.actions import log_call
from leadtracker.reports.models import UserDay, UserHour
from leadtracker.reports.tests.direct import assert_rollups_match
from leadtracker.testing import call, clocks, make_lead, open_shift, paired_client, send

IST = dt.timezone(dt.timedelta(hours=5, minutes=30))


def minutes_since_midnight_ist() -> int:
    now = timezone.now().astimezone(IST)
    minutes = now.hour * 60 + now.minute
    # Too close to midnight for calls after it: use the midnight before.
    return minutes if minutes >= 20 else minutes + 24 * 60


@clocks()
def test_a_resent_batch_counts_once_and_a_batch_over_midnight_lands_on_two_days(frozen_at, acme):
    open_shift(acme.alice, hours_ago=48)
    phone = paired_client(acme.alice)
    m = minutes_since_midnight_ist()
    batch = [
        call(1, minutes_ago=m + 15, duration_s=50),
        call(2, minutes_ago=m + 5, type="missed", duration_s=0, number="+919812345670"),
        call(3, minutes_ago=m - 5, duration_s=7),
        call(4, minutes_ago=m - 10, type="incoming", duration_s=61),
    ]
    assert send(phone, batch).json()["stored"] == 4
    assert_rollups_match(acme.org)
    days = dict(UserDay.objects.values_list("day", "calls"))
    today = timezone.now().astimezone(IST).date() - dt.timedelta(days=0 if m < 24 * 60 else 1)
    assert days == {today - dt.timedelta(days=1): 2, today: 2}
    # Sent again, and again with one new call: only what was inserted counts.
    assert send(phone, batch).json()["duplicates"] == 4
    assert send(phone, [*batch, call(5, minutes_ago=m - 12)]).json()["stored"] == 1
    assert_rollups_match(acme.org)
    assert sum(UserDay.objects.values_list("calls", flat=True)) == 5
    assert sum(UserHour.objects.values_list("calls", flat=True)) == 5


def test_a_call_back_closed_by_a_colleague_updates_the_day_of_the_missed_call(acme):
    make_lead(acme, owner=acme.bob)
    open_shift(acme.alice)
    alice = paired_client(acme.alice)
    send(alice, [call(1, type="missed", duration_s=0, minutes_ago=90)])
    row = UserDay.objects.get(user_id=acme.alice.user_id)
    assert (row.missed_returned, row.missed_not_returned) == (0, 1)
    # Bob, the lead's owner, returns it by hand from his own phone: Alice's day changes.
    started = dt.datetime.fromisoformat(call(2, minutes_ago=30)["started_at"])
    log_call(acme.bob, number="+919876543210", started_at=started, duration_s=80, actor=Actor.system())
    # (A recomputed person-day is a new row.)
    row = UserDay.objects.get(user_id=acme.alice.user_id)
    assert (row.missed_returned, row.missed_not_returned, row.return_seconds) == (1, 0, [3600])
    assert UserDay.objects.get(user_id=acme.bob.user_id).talk_seconds == 80
    assert_rollups_match(acme.org)


def test_an_earlier_miss_arriving_late_moves_the_wait_to_its_own_day_and_person(acme):
    make_lead(acme, owner=acme.alice)
    open_shift(acme.alice)
    open_shift(acme.bob)
    alice, bob = paired_client(acme.alice), paired_client(acme.bob)
    send(alice, [call(1, type="missed", duration_s=0, minutes_ago=60)])
    # Bob's phone synced late: the lead had rung him first; the call-back is measured from it.
    send(bob, [call(1, type="missed", duration_s=0, minutes_ago=120)])
    assert_rollups_match(acme.org)
    assert UserDay.objects.get(user_id=acme.bob.user_id).missed_not_returned == 1
    assert UserDay.objects.get(user_id=acme.alice.user_id).missed_not_returned == 0
    send(alice, [call(2, minutes_ago=20, duration_s=30)])
    assert UserDay.objects.get(user_id=acme.bob.user_id).return_seconds == [100 * 60]
    assert_rollups_match(acme.org)


def test_shifts_count_when_closed_auto_closed_and_corrected(acme):
    now = timezone.now().replace(microsecond=0)
    attendance.punch_in(acme.alice, actor=Actor.system(), at=now - dt.timedelta(hours=20))
    attendance.punch_out(acme.alice, actor=Actor.system(), at=now - dt.timedelta(hours=12))
    assert_rollups_match(acme.org)
    assert sum(UserDay.objects.values_list("shift_seconds", flat=True)) == 8 * 3600
    shift = Shift.objects.get()
    attendance.correct_shift(
        shift,
        started_at=now - dt.timedelta(hours=23),
        ended_at=now - dt.timedelta(hours=21),
        reason="forgot to punch out",
        actor=Actor.system(),
        by=acme.maya,
    )
    assert_rollups_match(acme.org)
    assert sum(UserDay.objects.values_list("shift_seconds", flat=True)) == 2 * 3600
    # Bob forgot to punch out yesterday: the worker closes it at the day's end.
    Shift.objects.create(organisation=acme.org, user=acme.bob.user, started_at=now - dt.timedelta(hours=30))
    assert attendance.close_open_shifts(now=now) == 1
    assert_rollups_match(acme.org)
    assert UserDay.objects.filter(user_id=acme.bob.user_id).exists()


def test_the_purge_of_old_calls_keeps_their_roll_ups(acme):
    from leadtracker.privacy.retention.purge import purge_organisation

    open_shift(acme.alice)
    send(paired_client(acme.alice), [call(1, minutes_ago=60), call(2, minutes_ago=50, duration_s=0)])
    before = list(UserDay.objects.values_list("day", "calls", "talk_seconds"))
    purge_organisation(acme.org, now=timezone.now() + dt.timedelta(days=400))
    from leadtracker.calls.models import Call

    assert not Call.objects.exists()
    # Counts and durations only, nobody's number: they stay for the year-on-year charts.
    assert list(UserDay.objects.values_list("day", "calls", "talk_seconds")) == before
    assert UserHour.objects.filter(calls__gt=0).exists()
