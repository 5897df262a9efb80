"""A sync batch's call-backs are added to the roll-ups, not recounted (issue 21): an auto-dialler's
day fills with missed calls, each opening a call-back, and its batches return earlier ones. The
call-back figures of the day (missed returned, not returned, the waits) were recounted from
every call-back of the day on every such batch, so its batches grew slower as the day filled
(SQLite: 28 → 47 ms from the first five to the last five, on a quiet machine). Now each batch
adds its call-backs' changes (reports/increments.py): its 30th batch runs the statements of
its second and reads no more, and the figures equal a direct count from the rows."""

from contextlib import contextmanager

import pytest
from django.db import connection

from leadtracker.accounts.audit import Actor
from leadtracker.calls.models import CallBack, Device
from leadtracker.calls.sync import sync
from leadtracker.reports.models import UserDay
from leadtracker.reports.tests.direct import assert_rollups_match
from leadtracker.reports.tests.test_rollup_batch_cost import _measure
from leadtracker.testing import call, clocks, open_shift, paired_client

PER_BATCH = 20
MISSED = 8  # a dialler's day: many unanswered, each a call-back
RETURNED = 3  # of the previous batch's misses, called back in this one
BATCHES = 30


@contextmanager
def _planned_as_at_scale():
    """PostgreSQL reads a test's tables of a few hundred rows whole (a sequential scan is the
    cheaper plan for them), which would say nothing of a real day's tables: with sequential
    scans off it takes the index it takes at scale. SQLite plans the same at any size."""
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SET enable_seqscan = on")


def _batch(n: int) -> list[dict]:
    """Twenty calls a minute apart on the clock's day: eight missed calls from new numbers, three
    calls that reach numbers the previous batch missed (closing their call-backs: an earlier
    batch's missed calls), the rest to numbers nobody called before."""
    rows = []
    for i in range(PER_BATCH):
        k = n * PER_BATCH + i
        kwargs = {"minutes_ago": 1400 - k, "number": f"+91983{k:07d}", "duration_s": 40}
        if i < MISSED:
            kwargs.update(type="missed", duration_s=0)
        elif i < MISSED + RETURNED and n > 0:
            kwargs["number"] = f"+91983{(n - 1) * PER_BATCH + i - MISSED:07d}"
        rows.append(call(k, **kwargs))
    return rows


@pytest.mark.slow(reason="thirty sync batches, 600 calls and 240 call-backs, to fill a day")
@clocks("23:55")
def test_a_late_batch_with_call_backs_costs_what_an_early_one_does(frozen_at, acme):
    open_shift(acme.alice, hours_ago=30)
    phone = paired_client(acme.alice)
    device_first = phone.post("/api/v1/calls/sync", {"calls": []}, content_type="application/json")
    assert device_first.status_code == 200  # a phone's first request does one-off work
    device = Device.objects.get(user_id=acme.alice.user_id)
    assert sync(device, {"calls": _batch(0)}, actor=Actor.system())["stored"] == PER_BATCH
    with _planned_as_at_scale():  # returns three of batch 0's misses, as every later one does
        early = _measure(phone, _batch(1))
    for n in range(2, BATCHES - 1):
        assert sync(device, {"calls": _batch(n)}, actor=Actor.system())["stored"] == PER_BATCH
    with _planned_as_at_scale():
        late = _measure(phone, _batch(BATCHES - 1))

    day = UserDay.objects.get(user_id=acme.alice.user_id)
    assert (day.missed_returned, day.missed_not_returned) == (
        (BATCHES - 1) * RETURNED,
        BATCHES * MISSED - (BATCHES - 1) * RETURNED,
    )
    assert len(day.return_seconds) == day.missed_returned
    assert CallBack.objects.filter(closed_at__isnull=True).count() == day.missed_not_returned
    assert_rollups_match(acme.org)
    assert late[0] == early[0], f"statements: second batch {early[0]}, 30th {late[0]}"
    # Recounting read every call-back of the day again (~230 more by the 30th batch, with their
    # missed calls); adding reads what the batch itself touches.
    assert late[1] <= early[1] * 1.15 + 20, f"rows read (SQLite: steps/100): 2nd {early[1]}, 30th {late[1]}"
