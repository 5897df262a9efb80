"""Upkeep of the roll-ups (reports.models): recomputing person-days from the raw rows.

Whenever calls are stored, a call-back opens or closes, or a shift closes or is corrected,
the person-days it touched are recomputed from the raw calls, call-backs and shifts, in the
same transaction as the write. Why recompute instead of adding increments: two figures are
not additive (distinct leads, most dials to one number) and would need a row per number per
day to be kept exactly; a person-day holds a few hundred calls, so reading them back costs
about a millisecond, and what is written is right by construction — a resent batch, a late
call, a call-back closed by a colleague all come out as a direct aggregate would.

Concurrency: on PostgreSQL the recompute of a person's days takes a transaction-level
advisory lock per person (sorted, so two writers never wait in a circle); the second writer
waits, and its statements then see the first one's committed rows (READ COMMITTED takes a
snapshot per statement). SQLite runs one writing transaction at a time.

``rebuild`` recomputes whole ranges of days in chunks for ``leadtracker rebuild-rollups``, and
``recount_leads`` the lead counts the triggers keep (models.LeadCount, CreatedCount, and the
live tiles' FollowUpDueCount and OpenCallBackCount), as a repair.
"""

import datetime as dt
import hashlib
from collections import Counter
from collections.abc import Callable, Iterable

from django.db import connection, transaction
from django.db.models import Count, Q
from django.db.models.functions import Coalesce, TruncDate

from leadtracker.accounts.models import Membership
from leadtracker.attendance.models import Shift
from leadtracker.calls.models import TALKED, Call, CallBack, CallStatus, Direction
from leadtracker.leads.models import Lead
from leadtracker.lib.bulk import insert_rows, json_param
from leadtracker.reports.models import (
    CreatedCount,
    FollowUpDueCount,
    LeadCount,
    OpenCallBackCount,
    UserDay,
    UserHour,
)

# A conversation shorter than this is "short": many of them is a gaming flag.
SHORT_CALL_S = 10
# Statuses where this person talked (answered elsewhere was someone else's conversation).
SPOKE = frozenset({CallStatus.ANSWERED, CallStatus.CONNECTED})
STATUSES = tuple(CallStatus.values)
COUNTS = ("calls", *STATUSES, "calls_in", "calls_out", "talk_seconds", "short_calls")
_AT = {name: i for i, name in enumerate(COUNTS)}
_IN, _OUT, _TALK, _SHORT = _AT["calls_in"], _AT["calls_out"], _AT["talk_seconds"], _AT["short_calls"]
DAY_EXTRA = (
    "unique_leads",
    "max_same_number",
    "first_call_at",
    "last_call_at",
    "missed_returned",
    "missed_not_returned",
    "return_seconds",
    "shift_seconds",
)

Key = tuple[int, dt.date]  # (user id, day in the organisation's zone)


def day_bounds(tz, day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """[start, end) of a local day, in UTC (23 or 25 hours long across a DST change)."""
    start = dt.datetime.combine(day, dt.time(0), tz).astimezone(dt.UTC)
    end = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(0), tz).astimezone(dt.UTC)
    return start, end


def keys_for_moments(org, pairs: Iterable[tuple[int, dt.datetime]]) -> set[Key]:
    tz = org.tzinfo
    return {(user_id, moment.astimezone(tz).date()) for user_id, moment in pairs}


def keys_for_span(org, user_id: int, start: dt.datetime, end: dt.datetime | None) -> set[Key]:
    """Every local day a shift from ``start`` to ``end`` touches (an open one: its first day)."""
    tz = org.tzinfo
    first = start.astimezone(tz).date()
    last = (end or start).astimezone(tz).date()
    return {(user_id, first + dt.timedelta(days=n)) for n in range((last - first).days + 1)}


class _Day:
    __slots__ = ("counts", "leads", "dials", "first", "last", "returned", "waiting", "waits", "shift")

    def __init__(self):
        self.counts = [0] * len(COUNTS)
        self.leads: set[int] = set()
        self.dials: Counter = Counter()
        self.first = self.last = None
        self.returned = self.waiting = self.shift = 0
        self.waits: list[int] = []

    def row(self) -> dict:
        return {
            **dict(zip(COUNTS, self.counts, strict=True)),
            "unique_leads": len(self.leads),
            "max_same_number": max(self.dials.values(), default=0),
            "first_call_at": self.first,
            "last_call_at": self.last,
            "missed_returned": self.returned,
            "missed_not_returned": self.waiting,
            "return_seconds": sorted(self.waits),
            "shift_seconds": self.shift,
        }


def _count(counts: list, status: str, direction: str, duration: int) -> None:
    counts[0] += 1
    counts[_AT[status]] += 1
    counts[_IN if direction == Direction.IN else _OUT] += 1
    if status in TALKED:
        counts[_TALK] += duration
        if status in SPOKE and duration < SHORT_CALL_S:
            counts[_SHORT] += 1


def compute(org, where: Q, spans: list[tuple[int | None, dt.datetime, dt.datetime]], wanted=None):
    """Figures of the raw rows matching ``where`` (a filter on Call fields by user and time).

    ``spans``: (user id or None for everyone, start, end) — the same periods, for shifts.
    ``wanted``: keys to keep (a filter by time range can reach into neighbouring days).
    Returns ({key: day row}, {(user, day, hour): counts list}).
    """
    tz = org.tzinfo
    days: dict[Key, _Day] = {}
    hours: dict[tuple[int, dt.date, int], list] = {}
    calls = Call.objects.filter(where, organisation_id=org.pk).values_list(
        "user_id", "started_at", "status", "direction", "duration_s", "lead_id", "number"
    )
    for user_id, started, status, direction, duration, lead_id, number in calls.iterator(chunk_size=20000):
        local = started.astimezone(tz)
        key = (user_id, local.date())
        d = days.get(key)
        if d is None:
            d = days[key] = _Day()
        _count(d.counts, status, direction, duration)
        hour_key = (user_id, key[1], local.hour)
        h = hours.get(hour_key)
        if h is None:
            h = hours[hour_key] = [0] * len(COUNTS)
        _count(h, status, direction, duration)
        if lead_id is not None:
            d.leads.add(lead_id)
        if direction == Direction.OUT and (lead_id or number):
            # Dials to one lead (by any of its numbers), else to one number: erasure blanks a
            # lead's numbers on its calls but keeps the lead, so this figure survives it.
            d.dials[lead_id or number] += 1
        if d.first is None or started < d.first:
            d.first = started
        if d.last is None or started > d.last:
            d.last = started
    _add_call_backs(org, days, where)
    _add_shifts(org, days, spans)
    if wanted is not None:
        days = {k: v for k, v in days.items() if k in wanted}
        hours = {k: v for k, v in hours.items() if (k[0], k[1]) in wanted}
    return {k: v.row() for k, v in days.items()}, hours


def _add_call_backs(org, days: dict, where: Q) -> None:
    """A call-back counts on the day and for the person of the missed call it is measured from."""
    tz = org.tzinfo
    backs = CallBack.objects.filter(_prefixed(where, "missed_call__"), organisation_id=org.pk).values_list(
        "missed_call__user_id", "missed_call__started_at", "closed_at", "seconds_to_return"
    )
    for user_id, started, closed_at, seconds in backs.iterator(chunk_size=20000):
        key = (user_id, started.astimezone(tz).date())
        d = days.get(key)
        if d is None:
            d = days[key] = _Day()
        if closed_at is None:
            d.waiting += 1
        else:
            d.returned += 1
            d.waits.append(seconds or 0)


def _prefixed(q: Q, prefix: str) -> Q:
    """The same filter on a related model's fields."""
    out = Q()
    out.connector, out.negated = q.connector, q.negated
    for child in q.children:
        out.children.append(
            _prefixed(child, prefix) if isinstance(child, Q) else (prefix + child[0], child[1])
        )
    return out


def _add_shifts(org, days: dict, spans) -> None:
    """Closed shifts' seconds, split at local midnight, inside the given spans only."""
    tz = org.tzinfo
    if not spans:
        return
    where = Q()
    for user_id, start, end in spans:
        span = Q(started_at__lt=end, ended_at__gt=start)
        where |= span & Q(user_id=user_id) if user_id is not None else span
    found = Shift.objects.filter(where, organisation_id=org.pk, ended_at__isnull=False).values_list(
        "user_id", "started_at", "ended_at"
    )
    for user_id, started, ended in found.iterator(chunk_size=20000):
        for span_user, span_start, span_end in spans:
            if span_user not in (None, user_id):
                continue
            lo, hi = max(started, span_start), min(ended, span_end)
            day = lo.astimezone(tz).date()
            while lo < hi:
                _, day_end = day_bounds(tz, day)
                cut = min(hi, day_end)
                key = (user_id, day)
                d = days.get(key)
                if d is None:
                    d = days[key] = _Day()
                d.shift += int((cut - lo).total_seconds())
                lo, day = cut, day + dt.timedelta(days=1)


def _lock_people(org_id: int, user_ids: Iterable[int]) -> None:
    if connection.vendor != "postgresql":
        return
    keys = sorted(
        {
            int.from_bytes(hashlib.sha256(f"rollup:{org_id}:{u}".encode()).digest()[:8], "big", signed=True)
            for u in user_ids
        }
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(pg_advisory_xact_lock(k)) FROM unnest(%s::bigint[]) AS k", [keys])


DAY_COLUMNS = ["organisation_id", "user_id", "day", *COUNTS, *DAY_EXTRA]
HOUR_COLUMNS = ["organisation_id", "user_id", "day", "hour", *COUNTS]


def _write(org, days: dict, hours: dict) -> None:
    insert_rows(
        UserDay,
        DAY_COLUMNS,
        [
            (org.pk, user_id, day, *(row[c] for c in COUNTS), *_extra(row))
            for (user_id, day), row in sorted(days.items())
        ],
    )
    insert_rows(
        UserHour,
        HOUR_COLUMNS,
        [(org.pk, user_id, day, hour, *counts) for (user_id, day, hour), counts in sorted(hours.items())],
    )


def _extra(row: dict) -> tuple:
    return tuple(json_param(row[c]) if c == "return_seconds" else row[c] for c in DAY_EXTRA)


def refresh(org, keys: Iterable[Key], call_back_keys: Iterable[Key] = ()) -> None:
    """Recompute these person-days (upkeep; runs inside the caller's transaction).

    ``call_back_keys``: person-days that gained no call but whose missed calls' call-backs
    opened, closed or moved (another phone's call returned them): only their call-back figures
    are recomputed (``_refresh_call_backs``)."""
    keys = set(keys)
    call_back_keys = set(call_back_keys) - keys
    if not keys and not call_back_keys:
        return
    tz = org.tzinfo
    # Every writer calls this inside its own transaction; no savepoint of our own (two
    # statements a sync batch), but atomic still if someone calls it outside one.
    with transaction.atomic(savepoint=False):
        # Everyone's lock at once, in order: two batches never wait on each other in a circle.
        _lock_people(org.pk, {u for u, _ in keys | call_back_keys})
        keys |= _refresh_call_backs(org, call_back_keys)
        if not keys:
            return
        where, spans, stale = Q(), [], Q()
        for user_id, day in sorted(keys):
            start, end = day_bounds(tz, day)
            where |= Q(user_id=user_id, started_at__gte=start, started_at__lt=end)
            spans.append((user_id, start, end))
            stale |= Q(user_id=user_id, day=day)
        days, hours = compute(org, where, spans, wanted=keys)
        UserDay.objects.filter(stale, organisation_id=org.pk).delete()
        UserHour.objects.filter(stale, organisation_id=org.pk).delete()
        _write(org, days, hours)


def _refresh_call_backs(org, keys: set[Key]) -> set[Key]:
    """The call-back figures (missed returned, not returned, the waits) of these person-days,
    recomputed from their call-backs; their calls, hours and shift seconds are as they were.
    Recounting those too (thousands of calls on a busy day, for each person whose missed call
    a batch returned) was most of a sync batch's time inside its write transaction, which on
    SQLite holds the database's one write lock. Answers the days that have no row yet (never
    counted): those are recomputed whole."""
    if not keys:
        return set()
    tz = org.tzinfo
    where, rows = Q(), Q()
    for user_id, day in sorted(keys):
        start, end = day_bounds(tz, day)
        where |= Q(user_id=user_id, started_at__gte=start, started_at__lt=end)
        rows |= Q(user_id=user_id, day=day)
    existing = {
        (user_id, day): pk
        for pk, user_id, day in UserDay.objects.filter(rows, organisation_id=org.pk).values_list(
            "pk", "user_id", "day"
        )
    }
    days = {key: _Day() for key in existing}
    _add_call_backs(org, days, where)
    for key, pk in sorted(existing.items()):
        row = days[key].row()
        UserDay.objects.filter(pk=pk).update(
            missed_returned=row["missed_returned"],
            missed_not_returned=row["missed_not_returned"],
            return_seconds=row["return_seconds"],
        )
    return keys - existing.keys()


def rebuild(
    org,
    first: dt.date,
    last: dt.date,
    *,
    chunk_days: int = 7,
    progress: Callable[[dt.date, dt.date, int], None] | None = None,
) -> int:
    """Recompute every person-day from ``first`` to ``last`` (inclusive), ``chunk_days`` at a
    time, each chunk in a transaction of its own (readers never see a half-written chunk).
    Rows of days in the range with nothing left are removed. Returns the person-days written."""
    tz = org.tzinfo
    written = 0
    start_day = first
    while start_day <= last:
        end_day = min(last, start_day + dt.timedelta(days=chunk_days - 1))
        start, _ = day_bounds(tz, start_day)
        _, end = day_bounds(tz, end_day)
        with transaction.atomic():
            _lock_people(
                org.pk, Membership.objects.filter(organisation_id=org.pk).values_list("user_id", flat=True)
            )
            days, hours = compute(org, Q(started_at__gte=start, started_at__lt=end), [(None, start, end)])
            days = {k: v for k, v in days.items() if start_day <= k[1] <= end_day}
            hours = {k: v for k, v in hours.items() if start_day <= k[1] <= end_day}
            rng = Q(organisation_id=org.pk, day__gte=start_day, day__lte=end_day)
            UserDay.objects.filter(rng).delete()
            UserHour.objects.filter(rng).delete()
            _write(org, days, hours)
        written += len(days)
        if progress is not None:
            progress(start_day, end_day, len(days))
        start_day = end_day + dt.timedelta(days=1)
    return written


def recount_leads(org) -> int:
    """Count an organisation's leads by owner and status, and by day created, source and status,
    afresh (the triggers of migrations reports 0002 and 0004 keep these counts; this repairs
    them if someone disabled a trigger, say).

    The old rows go first, then the count: a lead written meanwhile is either committed before
    the count's statement (counted there, its trigger having changed a row already deleted) or
    waits for the rows this transaction writes and adds itself after — counted once either way.
    Returns the number of leads counted."""
    with transaction.atomic():
        LeadCount.objects.filter(organisation_id=org.pk).delete()
        CreatedCount.objects.filter(organisation_id=org.pk).delete()
        leads = Lead.objects.filter(organisation_id=org.pk)
        rows = leads.values_list(Coalesce("owner_id", 0), "status_id").annotate(n=Count("id")).order_by()
        LeadCount.objects.bulk_create(
            [LeadCount(organisation_id=org.pk, owner_id=w, status_id=s, n=n) for w, s, n in rows]
        )
        created = (
            leads.values_list(TruncDate("created_at", tzinfo=dt.UTC), Coalesce("source_id", 0), "status_id")
            .annotate(n=Count("id"))
            .order_by()
        )
        CreatedCount.objects.bulk_create(
            [
                CreatedCount(organisation_id=org.pk, day=d, source_id=s, status_id=t, n=n)
                for d, s, t, n in created
            ]
        )
        _recount_live(org, leads)
    return sum(n for _, _, n in rows)


def _recount_live(org, leads) -> None:
    """The dashboard's live tiles' counts (reports 0005): leads by follow-up day, open call-backs
    by assignee — repaired with the lead counts, in the same transaction and order."""
    FollowUpDueCount.objects.filter(organisation_id=org.pk).delete()
    OpenCallBackCount.objects.filter(organisation_id=org.pk).delete()
    due = (
        leads.filter(next_follow_up_at__isnull=False)
        .values_list(TruncDate("next_follow_up_at", tzinfo=dt.UTC))
        .annotate(n=Count("id"))
        .order_by()
    )
    FollowUpDueCount.objects.bulk_create(
        [FollowUpDueCount(organisation_id=org.pk, day=d, n=n) for d, n in due]
    )
    waiting = (
        CallBack.objects.filter(organisation_id=org.pk, closed_at__isnull=True)
        .values_list(Coalesce("assignee_id", 0))
        .annotate(n=Count("id"))
        .order_by()
    )
    OpenCallBackCount.objects.bulk_create(
        [OpenCallBackCount(organisation_id=org.pk, assignee_id=a, n=n) for a, n in waiting]
    )
