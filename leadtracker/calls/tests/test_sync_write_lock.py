"""What a sync batch does inside its write transaction (issue 15, item 10). On SQLite that
transaction holds the database's one write lock from BEGIN IMMEDIATE to COMMIT, and every
other request that writes (a lead page's access event, a throttle count, another phone's batch)
waits for it: only what must see the committed state goes inside."""

import contextlib
import threading

import pytest
from django.db import connection, connections
from django.utils import timezone

from leadtracker.calls.models import Call, CallBack
from leadtracker.leads.models import Lead
from leadtracker.testing import call, clocks, make_lead, open_shift, paired_client, send, wait_until


@contextlib.contextmanager
def statements_in_transaction():
    """The statements run inside a transaction opened during the block (the sync's own; the
    test's transaction, if any, is the level this starts at)."""
    base = len(connection.atomic_blocks)
    inside: list[str] = []

    def record(execute, sql, params, many, context):
        if len(connection.atomic_blocks) > base:
            inside.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        yield inside


def batch(n, *, first=0, minutes_ago=300, **kw):
    """n calls, one a second, to n numbers."""
    return [
        call(first + i, number=f"+91980000{(first + i) % 10000:04d}", minutes_ago=minutes_ago - i / 60, **kw)
        for i in range(n)
    ]


def test_a_resent_batch_writes_only_the_devices_health(acme, phone):
    for i in range(0, 200, 10):
        make_lead(acme, phones=[f"+91980000{i:04d}"], owner=acme.alice)
    rows = batch(150, type="missed", duration_s=0) + batch(50, first=150, minutes_ago=200)
    first = send(phone, rows).json()
    assert first["stored"] == 200, first
    calls, call_backs = Call.objects.count(), list(CallBack.objects.order_by("id").values())

    with statements_in_transaction() as inside:
        again = send(phone, rows).json()

    assert again == {"received": 200, "stored": 0, "duplicates": 200, "outside_shift": 0, "rejected": []}
    assert Call.objects.count() == calls
    assert list(CallBack.objects.order_by("id").values()) == call_backs
    # Which calls were stored already is read before the transaction: inside, nothing is
    # inserted, matched, looped or recounted — the shift read, the usage count and the health.
    touched = " ".join(inside)
    for table in ("calls_call", "leads_leadphone", "leads_lead", "calls_callback", "reports_userday"):
        assert f'"{table}"' not in touched, (table, inside)
    assert len(inside) <= 5, inside


def test_a_batch_half_resent_stores_the_new_half_and_counts_the_rest(acme, phone):
    old = batch(300)
    assert send(phone, old).json()["stored"] == 300
    new = batch(200, first=300, minutes_ago=250)
    outside = call(9999, minutes_ago=60 * 24)  # before the shift began
    body = send(phone, [*old[:150], *new, old[0], outside, {"number": "1"}]).json()
    assert body["stored"] == 200
    assert body["duplicates"] == 151  # 150 stored before, one twice in this batch
    assert body["outside_shift"] == 1
    assert [r["index"] for r in body["rejected"]] == [352]
    assert Call.objects.count() == 500
    assert Call.objects.values("device_call_id").distinct().count() == 500


def test_the_call_backs_a_batch_changes_are_updated_in_one_statement(acme, phone):
    """300 missed calls open 300 call-backs; the next batch returns them all. The update is one
    statement (bulk_update's CASE WHEN, compiled per row and column, was split in three on
    SQLite and cost a third of the batch's time inside the lock)."""
    assert send(phone, batch(300, type="missed", duration_s=0)).json()["stored"] == 300
    assert CallBack.objects.filter(closed_at__isnull=True).count() == 300
    returned = [
        call(20_000 + i, number=f"+91980000{i:04d}", minutes_ago=100 - i / 60, type="outgoing", duration_s=40)
        for i in range(300)
    ]
    with statements_in_transaction() as inside:
        body = send(phone, returned).json()
    assert body["stored"] == 300
    updates = [sql for sql in inside if '"calls_callback" SET' in sql]
    assert len(updates) == 1, updates
    closed = CallBack.objects.filter(closed_at__isnull=False).select_related("missed_call", "closing_call")
    assert closed.count() == 300
    for cb in closed:
        assert cb.closing_call.number == cb.number == cb.missed_call.number
        assert cb.seconds_to_return == int((cb.closed_at - cb.missed_at).total_seconds()) > 0
        assert cb.closed_at == cb.closing_call.started_at


# Bob's two calls, 60 and 50 minutes ago, must fall on one day of his: on the real clock they
# did not between 00:50 and 01:00 IST (the clean-clone CI of 7 Dec found him two person-days).
@clocks("sunday", "monday-00:05")
def test_a_colleagues_day_is_not_recounted_when_only_its_call_backs_changed(frozen_at, acme):
    """Alice's phone returns a call Bob missed: Bob's person-day gets its call-back figures
    anew, in place; his calls (a busy day holds thousands) are not read again inside Alice's
    transaction, nor his day and hour rows deleted and written again."""
    from leadtracker.reports.models import UserDay, UserHour
    from leadtracker.reports.tests.direct import assert_rollups_match

    open_shift(acme.alice)
    open_shift(acme.bob)
    alice, bob = paired_client(acme.alice), paired_client(acme.bob)
    send(bob, [call(1, type="missed", duration_s=0, minutes_ago=50), call(2, number="+919812345678")])
    bobs_day = UserDay.objects.get(user_id=acme.bob.user_id)
    bobs_hours = set(UserHour.objects.filter(user_id=acme.bob.user_id).values_list("pk", "calls"))
    assert bobs_day.missed_not_returned == 1

    assert send(alice, [call(7, minutes_ago=20, duration_s=30)]).json()["stored"] == 1

    after = UserDay.objects.get(user_id=acme.bob.user_id)
    assert after.pk == bobs_day.pk and after.calls == bobs_day.calls == 2
    assert (after.missed_returned, after.missed_not_returned, after.return_seconds) == (1, 0, [30 * 60])
    assert set(UserHour.objects.filter(user_id=acme.bob.user_id).values_list("pk", "calls")) == bobs_hours
    assert_rollups_match(acme.org)


WRITES = ("BEGIN", "INSERT", "UPDATE", "DELETE")


@pytest.mark.django_db(transaction=True)
def test_a_miss_and_its_return_stored_at_the_same_moment_close_the_call_back(acme, monkeypatch):
    """Bob's phone stores the call that returned a lead's miss; while its transaction is still
    open, Alice's phone stores the miss itself. Neither sees the other's row; the per-number
    lock makes the second wait and close the call-back (on SQLite the single writer does)."""
    lead = make_lead(acme, phones=["+919800000001"], owner=acme.alice)
    # A newer last-contacted time: neither batch updates the lead row, so no row lock orders them.
    Lead.objects.filter(pk=lead.pk).update(last_contacted_at=timezone.now())
    open_shift(acme.alice)
    open_shift(acme.bob)
    returning, missing = paired_client(acme.bob), paired_client(acme.alice)
    from leadtracker.calls import callbacks

    original = callbacks.on_calls_stored
    in_loop, release = threading.Event(), threading.Event()

    def held_open(org, stored, *, user_id, **kwargs):
        changed = original(org, stored, user_id=user_id, **kwargs)
        if user_id == acme.bob.user_id:
            in_loop.set()
            release.wait(60)
        return changed

    monkeypatch.setattr(callbacks, "on_calls_stored", held_open)
    answers = {}
    writing = threading.Event()

    def note_writing(execute, sql, params, many, context):
        if sql.startswith(WRITES) and threading.current_thread().name == "miss":
            writing.set()
        return execute(sql, params, many, context)

    def the_miss_waits() -> bool:
        """The miss has got as far as it can while the return is uncommitted: on PostgreSQL it
        waits for a lock the return holds; on SQLite it has begun its first write (its token's
        last use, or its transaction), which the single writer lets through only after the
        return's commit."""
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT count(*) FROM pg_locks WHERE NOT granted AND database = "
                    "(SELECT oid FROM pg_database WHERE datname = current_database())"
                )
                return cursor.fetchone()[0] > 0
        return writing.is_set()

    def run(name, client, rows):
        try:
            with connection.execute_wrapper(note_writing):
                answers[name] = send(client, rows).json()
        finally:
            connections.close_all()

    a = threading.Thread(
        target=run,
        args=("return", returning, [call(1, number="+919800000001", duration_s=60, minutes_ago=30)]),
    )
    a.start()
    assert in_loop.wait(60)
    b = threading.Thread(
        target=run,
        name="miss",
        args=(
            "miss",
            missing,
            [call(2, number="+919800000001", type="missed", duration_s=0, minutes_ago=45)],
        ),
    )
    b.start()
    try:
        wait_until(the_miss_waits, "the miss to wait for the return's transaction")
    finally:
        release.set()
    a.join(60)
    b.join(60)
    assert answers["return"]["stored"] == 1 and answers["miss"]["stored"] == 1, answers
    cb = CallBack.objects.get()
    assert cb.closed_at is not None and cb.seconds_to_return == 15 * 60
