"""A sync batch costs the same whether it is a day's first or its fiftieth (issue 21): the roll-up
upkeep adds the batch's figures to the day (reports/increments.py) instead of re-reading the
calls already in it. Measured by the statements a batch runs and the rows they read: on
PostgreSQL the transaction's tuples read from the tables a batch touches (pg_stat's xact
counters), on SQLite the virtual machine's steps (its progress handler), which grow with every
row a statement visits."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from leadtracker.accounts.audit import Actor
from leadtracker.calls.models import Device
from leadtracker.calls.sync import MAX_CALLS, sync
from leadtracker.reports.models import UserDay
from leadtracker.reports.tests.direct import assert_rollups_match
from leadtracker.testing import call, clocks, make_lead, open_shift, paired_client, send

TABLES = ("calls_call", "calls_callback", "reports_userday", "reports_userhour", "leads_lead")
PER_BATCH = 20
BATCHES = 50


def _rows_read() -> int:
    """PostgreSQL: tuples this transaction has read so far from the tables a batch touches."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT coalesce(sum(pg_stat_get_xact_tuples_returned(c.oid)"
            " + pg_stat_get_xact_tuples_fetched(c.oid)), 0) FROM pg_class c WHERE c.relname = ANY(%s)",
            [list(TABLES)],
        )
        return int(cursor.fetchone()[0])


def _measure(phone, batch) -> tuple[int, int]:
    """(statements, rows read or SQLite steps) of one sync request."""
    connection.ensure_connection()
    steps = [0]
    if connection.vendor == "sqlite":

        def count():
            steps[0] += 1
            return 0

        connection.connection.set_progress_handler(count, 100)
        before = 0
    else:
        before = _rows_read()
    try:
        with CaptureQueriesContext(connection) as queries:
            assert send(phone, batch).json()["stored"] == len(batch)
    finally:
        if connection.vendor == "sqlite":
            connection.connection.set_progress_handler(None, 100)
    read = steps[0] if connection.vendor == "sqlite" else _rows_read() - before
    return len(queries), read


def fill(device, rows: list[dict]) -> None:
    """The calls that fill a day between its measured batches, in requests of the most calls the
    sync takes (MAX_CALLS: 2 requests, not 48 of twenty): the same rows, so the same day, without
    each request's own cost. Each is to or from a number no other call has, so which request
    holds it changes nothing: none returns or repeats another."""
    for start in range(0, len(rows), MAX_CALLS):
        part = rows[start : start + MAX_CALLS]
        assert sync(device, {"calls": part}, actor=Actor.system())["stored"] == len(part)


def _batch(n: int, leads) -> list[dict]:
    """Twenty calls a minute apart, all on the clock's day (23:55 IST): two to leads, one missed
    call from a number that is no lead (it opens a call-back), the rest to and from numbers
    nobody called before in the day."""
    rows = []
    for i in range(PER_BATCH):
        k = n * PER_BATCH + i
        kwargs = {"minutes_ago": 1400 - k, "number": f"+91982{k:07d}", "duration_s": 40}
        if i < len(leads):
            kwargs["number"] = leads[i].phone
        elif i == PER_BATCH - 1:
            kwargs.update(type="missed", duration_s=0)
        elif i % 3 == 0:
            kwargs["type"] = "incoming"
        rows.append(call(k, **kwargs))
    return rows


@pytest.mark.slow(reason="fifty sync batches, a thousand calls, to fill a day")
@clocks("23:55")
def test_the_fiftieth_batch_of_a_day_costs_what_the_first_does(frozen_at, acme):
    open_shift(acme.alice, hours_ago=30)
    phone = paired_client(acme.alice)
    first_leads = [make_lead(acme, phone=f"98110 0000{i}") for i in range(2)]
    last_leads = [make_lead(acme, phone=f"98110 0001{i}") for i in range(2)]
    # A phone's first request of all does one-off work (its usage row, say): not the day's.
    assert send(phone, []).status_code == 200
    first = _measure(phone, _batch(0, first_leads))
    # The batches between, straight through the sync (the phone's rate limit is not the subject).
    device = Device.objects.get(user_id=acme.alice.user_id)
    fill(device, [row for n in range(1, BATCHES - 1) for row in _batch(n, [])])
    last = _measure(phone, _batch(BATCHES - 1, last_leads))

    day = UserDay.objects.get(user_id=acme.alice.user_id)
    assert day.calls == BATCHES * PER_BATCH  # one day: 1,000 calls in it before the last batch
    assert day.unique_leads == 4
    assert_rollups_match(acme.org)
    assert last[0] == first[0], f"statements: first batch {first[0]}, 50th {last[0]}"
    # Re-reading the day would make the 50th batch read ~1,000 calls more than the first (and on
    # SQLite take tens of thousands of steps more); adding reads what the batch itself touches.
    assert last[1] <= first[1] * 1.25 + 40, f"rows read (SQLite: steps/100): first {first[1]}, 50th {last[1]}"
