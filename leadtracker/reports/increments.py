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

Not additive, so not here: a sync batch that absorbed calls the outcome sheet had logged (the
phone's row replaces the logged one: a call leaves the day) takes rollups.refresh; call-back
figures (a call here may close a call-back of another person's day) are recounted from the
call-backs of the days they touch, as before; shifts and lead merges and erasures recompute.
A resent batch inserts nothing, so nothing is sent here: idempotent as the sync is.

Concurrency: the same per-person advisory lock as refresh (PostgreSQL), taken before the
lookups, so two batches of one person never both count the same new lead.
"""

import datetime as dt
from collections import Counter

from django.db import connection, transaction

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


def add_calls(org, user_id: int, calls: list, call_back_keys=frozenset()) -> None:
    """``calls``: (call id, call) of the calls just inserted for ``user_id`` (each with
    started_at, status, direction, duration_s, lead_id, number). ``call_back_keys``: the
    person-days whose call-backs the batch opened, closed or moved."""
    if not calls:
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
    with transaction.atomic(savepoint=False):
        keys = {(user_id, day) for day in days}
        rollups._lock_people(org.pk, {u for u, _ in keys | set(call_back_keys)})
        rows = [_day_row(org, user_id, day, b) for day, b in sorted(days.items())]
        _upsert(UserDay, rollups.DAY_COLUMNS, ["organisation_id", "user_id", "day"], rows, _day_set())
        _upsert(
            UserHour,
            rollups.HOUR_COLUMNS,
            ["organisation_id", "user_id", "day", "hour"],
            [(org.pk, user_id, day, hour, *counts) for (day, hour), counts in sorted(hours.items())],
            _added(rollups.COUNTS),
        )
        # Every day now has its row: only call-back figures are left to recount.
        missing = rollups._refresh_call_backs(org, set(call_back_keys))
        if missing:
            rollups.refresh(org, missing)


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
