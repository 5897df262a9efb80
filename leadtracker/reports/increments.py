"""Roll-up upkeep for a sync batch: the batch's own figures added to its person-days and hours.

Recomputing a person's whole day from its rows on every batch (rollups.refresh) made a batch
cost more as its day filled: an auto-dialler's 50th batch re-read the 4,900 calls before it.
Here a batch of newly inserted calls (never a replaced one) only adds, in SQL:

- counts, talk time, short calls, and each hour's counts: ``x = x + excluded.x`` in one
  INSERT … ON CONFLICT DO UPDATE per table;
- first and last call: the earlier and the later of the row's and the batch's;
- distinct leads: the batch's leads that this person's day held no call with before, found by
  one lookup of those leads' other calls that day (the lead-and-time index: rows read grow with
  the calls to those leads, not with the day);
- most dials to one lead (or number): after the insert, each dialled key's count that day,
  looked up for the batch's keys only; a count only grows, so the new maximum is the larger
  of the old one and theirs.

- call-back figures (missed returned, not returned, the waits): each change of a call-back the
  batch made (callbacks.on_calls_stored's ``moves``: an open one was closed or moved to an
  earlier miss, a new one opened or opened closed) is ±1 on the day and person of its missed
  call — which may be another person's day: a call here returns someone else's missed call —
  and a closed one's wait joins that day's waits. Recounting them instead read every call-back
  of the day on every batch that touched one (an auto-dialler's every batch: its misses open
  them), the one part of a batch that still grew with the day.

Not additive, so not here: a sync batch that absorbed calls the outcome sheet had logged (the
phone's row replaces the logged one: a call leaves the day) takes rollups.refresh; a caller
that gives call-back keys instead of moves has their call-back figures recounted from the
call-backs of those days, as before; shifts and lead merges and erasures recompute. A day
with no row yet (never counted) is computed whole.
A resent batch inserts nothing, so nothing is sent here: idempotent as the sync is.

Concurrency: the same per-person advisory lock as refresh (PostgreSQL), taken before the
lookups, so two batches of one person never both count the same new lead.
"""

import datetime as dt
from collections import Counter

from django.db import connection, transaction
from django.db.models import Q

from leadtracker.calls.models import Call, Direction
from leadtracker.reports import rollups
from leadtracker.reports.models import UserDay, UserHour


class _Batch:
    """One person-day's share of a batch."""

    __slots__ = ("counts", "leads", "dials", "first", "last", "ids")

    def __init__(self):
        self.counts = [0] * len(rollups.COUNTS)
        self.leads: set[int] = set()
        self.dials: set = set()
        self.first = self.last = None
        self.ids: list[int] = []


def add_calls(org, user_id: int, calls: list, call_back_keys=frozenset(), *, moves=None) -> None:
    """``calls``: (call id, call) of the calls just inserted for ``user_id`` (each with
    started_at, status, direction, duration_s, lead_id, number). The batch's call-backs: either
    ``moves``, its changes of them (callbacks.on_calls_stored), added to their days; or
    ``call_back_keys``, the person-days whose call-backs it opened, closed or moved, recounted."""
    if not calls and moves is None:
        rollups.refresh(org, (), call_back_keys)
        return
    tz = org.tzinfo
    days: dict[dt.date, _Batch] = {}
    hours: dict[tuple[dt.date, int], list] = {}
    for pk, c in calls:
        local = c.started_at.astimezone(tz)
        b = days.get(local.date())
        if b is None:
            b = days[local.date()] = _Batch()
        rollups._count(b.counts, c.status, c.direction, c.duration_s)
        h = hours.get((local.date(), local.hour))
        if h is None:
            h = hours[(local.date(), local.hour)] = [0] * len(rollups.COUNTS)
        rollups._count(h, c.status, c.direction, c.duration_s)
        b.ids.append(pk)
        if c.lead_id is not None:
            b.leads.add(c.lead_id)
        if c.direction == Direction.OUT and (c.lead_id or c.number):
            b.dials.add(c.lead_id or c.number)
        b.first = c.started_at if b.first is None else min(b.first, c.started_at)
        b.last = c.started_at if b.last is None else max(b.last, c.started_at)
    backs = _call_back_figures(org, user_id, calls, moves or [])
    with transaction.atomic(savepoint=False):
        keys = {(user_id, day) for day in days}
        rollups._lock_people(org.pk, {u for u, _ in keys | set(call_back_keys) | backs.keys()})
        rows = [_day_row(org, user_id, day, b) for day, b in sorted(days.items())]
        _upsert(UserDay, rollups.DAY_COLUMNS, ["organisation_id", "user_id", "day"], rows, _day_set())
        _upsert(
            UserHour,
            rollups.HOUR_COLUMNS,
            ["organisation_id", "user_id", "day", "hour"],
            [(org.pk, user_id, day, hour, *counts) for (day, hour), counts in sorted(hours.items())],
            _added(rollups.COUNTS),
        )
        # Every day of the batch now has its row: only call-back figures are left.
        if moves is None:
            missing = rollups._refresh_call_backs(org, set(call_back_keys))
        else:
            missing = _add_call_back_figures(org, backs)
        if missing:
            rollups.refresh(org, missing)


def _call_back_figures(org, user_id: int, calls: list, moves: list) -> dict:
    """{(person, day): [returned, waiting, [waits]]} of the call-backs' changes, on the day and
    person of each one's missed call: the batch's own calls are known; others (a call-back
    opened by an earlier batch, or another person's) are looked up, one statement."""
    if not moves:
        return {}
    known = {pk: (user_id, c.started_at) for pk, c in calls}
    others = {m[0] for m in moves} - known.keys()
    if others:
        # By id alone: with the organisation's id beside it, SQLite walked the organisation's
        # calls on an index that leads with it (the day's, at least) instead of the key.
        found = Call.objects.filter(pk__in=sorted(others)).values_list(
            "pk", "organisation_id", "user_id", "started_at"
        )
        known |= {pk: (user, at) for pk, org_id, user, at in found if org_id == org.pk}
    tz = org.tzinfo
    figures: dict = {}
    for call_id, returned, waiting, wait in moves:
        if call_id not in known:  # its missed call is gone (erased): it counts on no day
            continue
        user, at = known[call_id]
        f = figures.setdefault((user, at.astimezone(tz).date()), [0, 0, []])
        f[0] += returned
        f[1] += waiting
        if wait is not None:
            f[2].append(wait)
    return {key: f for key, f in figures.items() if f != [0, 0, []]}


def _add_call_back_figures(org, figures: dict) -> set:
    """Add the figures to their days' rows (read and written under the people's lock); answers
    the days that have no row yet, to be computed whole."""
    if not figures:
        return set()
    rows = Q()
    for user, day in sorted(figures):
        rows |= Q(user_id=user, day=day)
    found = UserDay.objects.filter(rows, organisation_id=org.pk).values_list(
        "pk", "user_id", "day", "missed_returned", "missed_not_returned", "return_seconds"
    )
    seen = set()
    for pk, user, day, returned, waiting, waits in found:
        seen.add((user, day))
        add_returned, add_waiting, add_waits = figures[(user, day)]
        UserDay.objects.filter(pk=pk).update(
            missed_returned=returned + add_returned,
            missed_not_returned=waiting + add_waiting,
            return_seconds=sorted([*(waits or []), *add_waits]),
        )
    return figures.keys() - seen


def _day_row(org, user_id: int, day: dt.date, b: _Batch) -> tuple:
    start, end = rollups.day_bounds(org.tzinfo, day)
    new_leads, tally = _leads_and_dials(org.pk, user_id, (start, end), b)
    extra = {
        "unique_leads": new_leads,
        "max_same_number": max(tally.values(), default=0),
        "first_call_at": b.first,
        "last_call_at": b.last,
        "missed_returned": 0,
        "missed_not_returned": 0,
        "return_seconds": [],
        "shift_seconds": 0,
    }
    return (org.pk, user_id, day, *b.counts, *rollups._extra(extra))


def _leads_and_dials(org_id: int, user_id: int, span, b: _Batch) -> tuple[int, Counter]:
    """How many of the batch's leads are new to the day, and the day's dials (the batch's
    included) to each lead or number the batch dialled. Two statements, each on the index that
    reads only those leads' or numbers' calls (SQLite's planner, left alone, prefers the person's
    day and walks every call in it: the thing this module is here to avoid)."""
    table = connection.ops.quote_name(Call._meta.db_table)
    sqlite = connection.vendor == "sqlite"
    adapt = connection.ops.adapt_datetimefield_value
    when = [adapt(span[0]), adapt(span[1]), org_id, user_id]
    common = "started_at >= %s AND started_at < %s AND organisation_id = %s AND user_id = %s"
    tally: Counter = Counter()
    new_leads = 0
    leads = sorted(b.leads | {k for k in b.dials if isinstance(k, int)})
    numbers = sorted(k for k in b.dials if isinstance(k, str))
    with connection.cursor() as cursor:
        if leads:
            # Names from the model; the values are bound.
            cursor.execute(
                f"SELECT lead_id, SUM(CASE WHEN direction = %s THEN 1 ELSE 0 END), "  # noqa: S608
                f"SUM(CASE WHEN id IN ({', '.join(['%s'] * len(b.ids))}) THEN 0 ELSE 1 END) "
                f"FROM {table}{' INDEXED BY call_lead_time' if sqlite else ''} "
                f"WHERE lead_id IN ({', '.join(['%s'] * len(leads))}) AND {common} GROUP BY lead_id",
                [Direction.OUT, *b.ids, *leads, *when],
            )
            seen = set()
            for lead_id, dialled, before in cursor.fetchall():
                if lead_id in b.dials:
                    tally[lead_id] = dialled
                if before:
                    seen.add(lead_id)
            new_leads = len(b.leads - seen)
        if numbers:
            cursor.execute(
                f"SELECT number, COUNT(*) FROM {table}{' INDEXED BY call_number_time' if sqlite else ''} "  # noqa: S608
                f"WHERE number IN ({', '.join(['%s'] * len(numbers))}) AND lead_id IS NULL "
                f"AND direction = %s AND {common} GROUP BY number",
                [*numbers, Direction.OUT, *when],
            )
            tally.update(dict(cursor.fetchall()))
    return new_leads, tally


def _added(names) -> list[str]:
    return [f"{n} = {{t}}.{n} + excluded.{n}" for n in names]


def _day_set() -> list[str]:
    later, earlier = ("GREATEST", "LEAST") if connection.vendor == "postgresql" else ("MAX", "MIN")
    return [
        *_added([*rollups.COUNTS, "unique_leads"]),
        f"max_same_number = {later}({{t}}.max_same_number, excluded.max_same_number)",
        # SQLite's MIN and MAX of a NULL are NULL; PostgreSQL's LEAST and GREATEST skip it.
        *(
            f"{name} = {pick}(COALESCE({{t}}.{name}, excluded.{name}), excluded.{name})"
            for name, pick in (("first_call_at", earlier), ("last_call_at", later))
        ),
    ]


def _upsert(model, columns: list[str], unique: list[str], rows: list[tuple], assignments: list[str]) -> None:
    """One INSERT … ON CONFLICT (the unique key) DO UPDATE SET … for these rows (a batch touches
    one or two days, a few hours: a handful of rows)."""
    if not rows:
        return
    table = connection.ops.quote_name(model._meta.db_table)
    adapt_time = connection.ops.adapt_datetimefield_value
    adapt_day = connection.ops.adapt_datefield_value
    params = []
    for row in rows:
        for value in row:
            if isinstance(value, dt.datetime):
                value = adapt_time(value)
            elif isinstance(value, dt.date):
                value = adapt_day(value)
            params.append(value)
    one = "(" + ", ".join(["%s"] * len(columns)) + ")"
    sets = ", ".join(a.format(t=table) for a in assignments)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({', '.join(columns)}) VALUES {', '.join([one] * len(rows))} "  # noqa: S608 — names from the models
            f"ON CONFLICT ({', '.join(unique)}) DO UPDATE SET {sets}",
            params,
        )
