"""The calls pages and the sync endpoint read a fixed number of queries, however many calls."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from leadtracker.testing import call, clocks, make_lead, send


def count(fn):
    with CaptureQueriesContext(connection) as ctx:
        fn()
    return len(ctx.captured_queries)


def _sync(phone, start, n, minutes_ago=100, *, numbers=1000, **kw):
    """n calls with row ids from ``start``; their numbers are the first leads' (0, 1, …) when
    start is 1000 or more, else start, start + 1, …; ``numbers`` different numbers at most."""
    rows = [
        # A second apart when numbers repeat: the same number at the same second is one call.
        call(
            start + i,
            number=f"+91980000{(start + i) % 1000 % numbers:04d}",
            minutes_ago=minutes_ago - (i / 60 if numbers < 1000 else 0),
            **kw,
        )
        for i in range(n)
    ]
    body = send(phone, rows).json()
    assert body["stored"] == n, body
    return body


def test_calls_pages_do_not_grow_with_calls(acme, phone, as_member):
    for i in range(30):
        make_lead(acme, phones=[f"+91980000{i:04d}"], owner=acme.alice)
    _sync(phone, 0, 3)
    _sync(phone, 1100, 2, 50, type="missed", duration_s=0)
    agent, admin = as_member(acme.alice), as_member(acme.adam)
    pages = [
        (agent, "/calls/recent/"),
        (agent, "/calls/missed/"),
        (admin, "/calls/"),
        (admin, "/calls/?status=connected"),
    ]
    for client, url in pages:
        client.get(url)
    small = [count(lambda c=c, u=u: c.get(u)) for c, u in pages]
    _sync(phone, 3, 27)
    _sync(phone, 1010, 20, 40, type="missed", duration_s=0)
    large = [count(lambda c=c, u=u: c.get(u)) for c, u in pages]
    assert small == large, (small, large)


# The calls are 90 to 52 minutes old: the clock is frozen where they fall on one day of the
# organisation's zone, whatever the hour the suite runs.
@clocks("sunday", "23:55")
def test_sync_costs_the_same_queries_for_5_or_500_calls(frozen_at, acme, phone):
    for i in range(20):
        make_lead(acme, phones=[f"+91980000{i:04d}"], owner=acme.alice)
    _sync(phone, 9000, 1, 100)  # first use of the token writes last_used_at
    # Both batches match leads only (the 500 calls go round the 20 leads), miss calls from leads
    # and return them. A batch with a number that is no lead's reads one statement more (the
    # roll-ups' most dials to one number: reports/increments.py), small or large alike. Each
    # batch's calls are newer than the phone's newest call before it, as a phone sending its day
    # as it goes sends them: none is looked for among the stored ones before the INSERT.
    small = count(lambda: (_sync(phone, 0, 5, 90, type="missed", duration_s=0), _sync(phone, 1000, 5, 80)))
    large = count(
        lambda: (
            _sync(phone, 10, 10, 70, type="missed", duration_s=0),
            _sync(phone, 1010, 490, 60, numbers=20),
        )
    )
    assert large == small, (small, large)
    # And pinned: the two requests (a batch of misses, a batch that returns them), with the
    # token, the throttles and the transaction's savepoint of each. The call-backs' changes are
    # added to the roll-ups (reports/increments.py), not recounted: 55 and 59 before; the token
    # and its membership one query (accounts/auth.py): 54 and 58 before; the stored-already
    # read skipped for calls newer than the phone's newest (two statements a batch), and on
    # PostgreSQL the usage counter's upsert in the device's UPDATE (one): 52 and 56 before; the
    # call-back figures added to their days in one UPDATE … RETURNING, not a read and an UPDATE
    # a day (one a request here): 48 and 50 before. On PostgreSQL the roll-ups' day and hour
    # upserts are one statement (the day's a WITH of the hour's): 48 before. The shift window
    # and the lead match one read (a UNION ALL), both databases; on PostgreSQL the leads' last
    # contacted time a WITH of the calls' INSERT: 46 and 46 before. Whether the person has a
    # browser to push to (the call prompt) read with them: 44 and 42 before.
    assert small == (42 if connection.vendor == "sqlite" else 40), small
    from leadtracker.calls.models import CallBack

    assert CallBack.objects.filter(closed_at__isnull=False).count() == 15  # the loop ran in both


@clocks("sunday")
def test_numbers_that_are_no_leads_cost_a_batch_no_statement_more(frozen_at, acme, phone):
    """The roll-ups read the day's dials to the batch's leads and to its numbers that are no
    lead's (reports/increments.py) in one statement: a batch of both costs what a batch of
    leads only does (it cost one statement more before)."""
    for i in range(5):
        make_lead(acme, phones=[f"+91980000{i:04d}"], owner=acme.alice)
    _sync(phone, 9000, 1, 100)  # first use of the token writes last_used_at
    leads_only = count(lambda: _sync(phone, 0, 2, 90))  # +919800000000 and 0001: leads
    mixed = count(lambda: _sync(phone, 3, 4, 80))  # 0003 and 0004 leads, 0005 and 0006 not
    assert mixed == leads_only, (leads_only, mixed)


@clocks("sunday")
def test_a_batch_with_a_call_sent_before_reads_what_is_stored_first(frozen_at, acme, phone):
    """A batch holding a call no newer than the phone's newest (a resend, or a late row) reads
    which of its calls are stored already, two statements before the transaction; a batch of
    newer calls does not (the INSERT … ON CONFLICT DO NOTHING decides either way)."""
    make_lead(acme, phones=["+919800000001"], owner=acme.alice)
    _sync(phone, 9000, 1, 100)  # first use of the token writes last_used_at
    _sync(phone, 0, 5, 90)
    newer = count(lambda: _sync(phone, 5, 5, 80))
    rows = [call(10 + i, number=f"+91980000{10 + i:04d}", minutes_ago=85 - i / 60) for i in range(5)]
    older = count(lambda: send(phone, rows))
    assert older == newer + 2, (newer, older)
    again = send(phone, rows).json()
    assert again == {"received": 5, "stored": 0, "duplicates": 5, "outside_shift": 0, "rejected": []}


@clocks("sunday")
def test_a_batch_that_absorbs_a_logged_call_is_pinned(frozen_at, acme, phone):
    """The sheet logged a call before the phone synced it: the batch that brings the phone's row
    takes the logged one off the roll-ups (reports/increments.py) in a fixed number of
    statements, not by recounting the day."""
    from leadtracker.accounts.audit import Actor
    from leadtracker.calls.actions import log_call
    from leadtracker.calls.models import Call

    lead = make_lead(acme, phones=["+919800001111"], owner=acme.alice)
    _sync(phone, 9000, 1)  # first use of the token writes last_used_at
    _sync(phone, 0, 5, 90)
    logged, _ = log_call(acme.alice, lead=lead, direction="out", duration_s=60, actor=Actor.system())
    Call.objects.filter(pk=logged.pk).update(outcome_key="sheet-1")
    n = count(lambda: send(phone, [call(50, number="+919800001111", minutes_ago=3, duration_s=60)]))
    assert not Call.objects.filter(pk=logged.pk).exists()
    # The logged call taken off: its day and hour less its figures, first and last call read
    # again, nothing left deleted. (29 on SQLite before: fewer statements, but they recounted
    # the whole day from its rows, which grew with it.) 31 and 33 before the stored-already read
    # was skipped for newer calls and the usage counter joined the device's UPDATE (PostgreSQL);
    # 30 on PostgreSQL before its day and hour upserts were one statement; 29 and 29 before
    # the shift window and the lead match were one read and (PostgreSQL) the last-contacted
    # update a WITH of the INSERT; 28 and 27 before the push-subscription check joined that read.
    assert n == (27 if connection.vendor == "sqlite" else 26), n
