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
import json
from collections import Counter

from django.db import connection, transaction
from django.db.models import Q

from leadtracker.calls import batch_reads
from leadtracker.calls.models import Call, Direction
from leadtracker.reports import rollups
from leadtracker.reports.models import UserDay, UserHour


class _Batch:
    """One person-day's share of a batch, and of the logged calls it absorbed (``gone_*``)."""

    __slots__ = ("counts", "leads", "dials", "first", "last", "ids", "gone", "gone_leads", "gone_dials")

    def __init__(self):
        self.counts = [0] * len(rollups.COUNTS)
        self.leads: set[int] = set()
        self.dials: Counter = Counter()  # the batch's dials to each lead (or number)
        self.first = self.last = None
        self.ids: list[int] = []
        self.gone: list | None = None  # the absorbed calls' counts, when the day lost some
        self.gone_leads: set[int] = set()
        self.gone_dials: Counter = Counter()


def add_calls(org, user_id: int, calls: list, call_back_keys=frozenset(), *, moves=None, removed=()) -> None:
    """``calls``: (call id, call) of the calls just inserted for ``user_id`` (each with
    started_at, status, direction, duration_s, lead_id, number). The batch's call-backs: either
    ``moves``, its changes of them (callbacks.on_calls_stored), added to their days; or
    ``call_back_keys``, the person-days whose call-backs it opened, closed or moved, recounted.
    ``removed``: calls of ``user_id`` the batch absorbed and deleted (the outcome sheet's logged
    twins of its calls; the same fields), taken off their days and hours (``_take_off``)."""
    if not calls and moves is None and not removed:
        rollups.refresh(org, (), call_back_keys)
        return
    tz = org.tzinfo
    days: dict[dt.date, _Batch] = {}
    hours: dict[tuple[dt.date, int], list] = {}
    gone_hours: dict[tuple[dt.date, int], list] = {}
    for c in removed:
        local = c.started_at.astimezone(tz)
        b = days.get(local.date())
        if b is None:
            b = days[local.date()] = _Batch()
        if b.gone is None:
            b.gone = [0] * len(rollups.COUNTS)
        rollups._count(b.gone, c.status, c.direction, c.duration_s)
        h = gone_hours.get((local.date(), local.hour))
        if h is None:
            h = gone_hours[(local.date(), local.hour)] = [0] * len(rollups.COUNTS)
        rollups._count(h, c.status, c.direction, c.duration_s)
        if c.lead_id is not None:
            b.gone_leads.add(c.lead_id)
        if c.direction == Direction.OUT and (c.lead_id or c.number):
            b.gone_dials[c.lead_id or c.number] += 1
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
            b.dials[c.lead_id or c.number] += 1
        b.first = c.started_at if b.first is None else min(b.first, c.started_at)
        b.last = c.started_at if b.last is None else max(b.last, c.started_at)
    backs = _call_back_figures(org, user_id, calls, moves or [])
    with transaction.atomic(savepoint=False):
        keys = {(user_id, day) for day in days}
        rollups._lock_people(org.pk, {u for u, _ in keys | set(call_back_keys) | backs.keys()})
        rows, lost = [], {}
        for day, b in sorted(days.items()):
            row, lost[day] = _day_row(org, user_id, day, b)
            if b.ids:
                rows.append(row)
        _upsert(
            _upsert_sql(
                UserDay, rollups.DAY_COLUMNS, ["organisation_id", "user_id", "day"], rows, _day_set()
            ),
            _upsert_sql(
                UserHour,
                rollups.HOUR_COLUMNS,
                ["organisation_id", "user_id", "day", "hour"],
                [(org.pk, user_id, day, hour, *counts) for (day, hour), counts in sorted(hours.items())],
                _added(rollups.COUNTS),
            ),
        )
        if removed:
            gone = {day: (b, lost[day]) for day, b in days.items() if b.gone is not None}
            _take_off(org, user_id, gone, gone_hours)
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
        found = batch_reads.calls_by_id(others)
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
    """Add the figures to their days' rows (under the people's lock): one UPDATE … FROM a VALUES
    list, each day's waits merged into its sorted list in SQL; answers the days that have no
    row yet, to be computed whole. (A read of the rows and an UPDATE a day before: a team's
    batch returns other people's missed calls, ~3 days a batch.)"""
    if not figures:
        return set()
    table = connection.ops.quote_name(UserDay._meta.db_table)
    pg = connection.vendor == "postgresql"
    keys = sorted(figures)
    row = "(%s::bigint, %s::date, %s::integer, %s::integer, %s::jsonb)" if pg else "(%s, %s, %s, %s, %s)"
    params = []
    for user, day in keys:
        returned, waiting, waits = figures[(user, day)]
        params += [user, connection.ops.adapt_datefield_value(day), returned, waiting, json.dumps(waits)]
    empty = "'[]'::jsonb" if pg else "'[]'"
    had = f"COALESCE({table}.return_seconds, {empty})"
    if pg:
        merged = (
            "(SELECT COALESCE(jsonb_agg(x ORDER BY x), '[]'::jsonb) FROM "  # noqa: S608 — no values in it
            f"(SELECT jsonb_array_elements({had}) AS x UNION ALL SELECT jsonb_array_elements(v.waits)) w)"
        )
    else:
        merged = (
            f"(SELECT json_group_array(value) FROM (SELECT value FROM json_each({had}) "  # noqa: S608 — as above
            "UNION ALL SELECT value FROM json_each(v.waits) ORDER BY 1))"
        )
    with connection.cursor() as cursor:
        # Names from the model; every value is bound.
        cursor.execute(
            f"WITH v(user_id, day, returned, waiting, waits) AS (VALUES {', '.join([row] * len(keys))}) "  # noqa: S608
            f"UPDATE {table} SET missed_returned = {table}.missed_returned + v.returned, "
            f"missed_not_returned = {table}.missed_not_returned + v.waiting, "
            f"return_seconds = CASE WHEN v.waits = {empty} THEN {table}.return_seconds ELSE {merged} END "
            f"FROM v WHERE {table}.organisation_id = %s "
            f"AND {table}.user_id = v.user_id AND {table}.day = v.day "
            f"RETURNING {table}.user_id, {table}.day",
            [*params, org.pk],
        )
        found = {(user, _as_date(day)) for user, day in cursor.fetchall()}
    return figures.keys() - found


def _as_date(value) -> dt.date:
    return dt.date.fromisoformat(value) if isinstance(value, str) else value


def _day_row(org, user_id: int, day: dt.date, b: _Batch) -> tuple[tuple, int]:
    """The batch's row for the day, to add to the day's; and how many leads the day lost with
    the absorbed calls (taken off by ``_take_off``)."""
    start, end = rollups.day_bounds(org.tzinfo, day)
    new_leads, tally, lost = _leads_and_dials(org.pk, user_id, (start, end), b)
    extra = {
        "unique_leads": new_leads,
        # The day's count of each key the batch dialled: a count that grew (one that fell, by an
        # absorbed logged call, is _take_off's).
        "max_same_number": max((n for key, n in tally.items() if key in b.dials), default=0),
        "first_call_at": b.first,
        "last_call_at": b.last,
        "missed_returned": 0,
        "missed_not_returned": 0,
        "return_seconds": [],
        "shift_seconds": 0,
    }
    return (org.pk, user_id, day, *b.counts, *rollups._extra(extra)), lost


def _leads_and_dials(org_id: int, user_id: int, span, b: _Batch) -> tuple[int, Counter, int]:
    """How many of the batch's leads are new to the day; the day's dials (the batch's included)
    to each lead or number the batch dialled or an absorbed logged call had dialled; and how
    many leads of the absorbed calls the day holds no call with now, the batch's own aside
    (those count their leads as new). One statement of two reads, each on the index that
    reads only those leads' or numbers' calls (SQLite's planner, left alone, prefers the
    person's day and walks every call in it: the thing this module is here to avoid)."""
    table = connection.ops.quote_name(Call._meta.db_table)
    sqlite = connection.vendor == "sqlite"
    adapt = connection.ops.adapt_datetimefield_value
    when = [adapt(span[0]), adapt(span[1]), org_id, user_id]
    common = "started_at >= %s AND started_at < %s AND organisation_id = %s AND user_id = %s"
    tally: Counter = Counter()
    new_leads = lost = 0
    keys = {*b.dials, *b.gone_dials}
    leads = sorted(b.leads | b.gone_leads | {k for k in keys if isinstance(k, int)})
    numbers = sorted(k for k in keys if isinstance(k, str))
    # Each row: (lead, None, dials, calls not in the batch) or (None, number, dials, 0).
    parts, params = [], []
    if leads:
        # The day's calls not in the batch (a day's only batch may be none: absorbed calls).
        others = (
            f"SUM(CASE WHEN id IN ({', '.join(['%s'] * len(b.ids))}) THEN 0 ELSE 1 END)"
            if b.ids
            else "COUNT(*)"
        )
        # Names from the model; the values are bound.
        parts.append(
            f"SELECT lead_id, NULL, SUM(CASE WHEN direction = %s THEN 1 ELSE 0 END), {others} "  # noqa: S608
            f"FROM {table}{' INDEXED BY call_lead_time' if sqlite else ''} "
            f"WHERE lead_id IN ({', '.join(['%s'] * len(leads))}) AND {common} GROUP BY lead_id"
        )
        params += [Direction.OUT, *b.ids, *leads, *when]
    if numbers:
        parts.append(
            "SELECT NULL, number, COUNT(*), 0 "  # noqa: S608 — names from the model; values bound
            f"FROM {table}{' INDEXED BY call_number_time' if sqlite else ''} "
            f"WHERE number IN ({', '.join(['%s'] * len(numbers))}) AND lead_id IS NULL "
            f"AND direction = %s AND {common} GROUP BY number"
        )
        params += [*numbers, Direction.OUT, *when]
    if not parts:
        return new_leads, tally, lost
    seen = set()
    with connection.cursor() as cursor:
        # One statement: each part keeps its own index (a UNION ALL of two reads, one round trip).
        cursor.execute(" UNION ALL ".join(parts), params)
        for lead_id, number, dialled, before in cursor.fetchall():
            if lead_id is None:
                tally[number] = dialled
                continue
            if lead_id in keys:
                tally[lead_id] = dialled
            if before:
                seen.add(lead_id)
    new_leads = len(b.leads - seen)
    lost = len(b.gone_leads - seen)
    return new_leads, tally, lost


def _take_off(org, user_id: int, days: dict, hours: dict) -> None:
    """The absorbed logged calls off their days and hours, after the batch's rows were added
    (``days``: {day: (its _Batch, leads lost)}; ``hours``: {(day, hour): counts}): their counts
    and the leads the day no longer holds a call with subtracted; the first and last call read
    again (the logged one may have been either: the first and the last entry of the person's day
    on its index); the most dials to one lead or number recounted only where a key's count fell
    (a logged call whose phone's call is on another day, or of another lead: the day's dials
    are read, a rare case); and no row left for an hour or a day that holds nothing any more
    (a full count writes none)."""
    if not days:
        return
    tz = org.tzinfo
    calls = connection.ops.quote_name(Call._meta.db_table)
    day_table = connection.ops.quote_name(UserDay._meta.db_table)
    hour_table = connection.ops.quote_name(UserHour._meta.db_table)
    adapt = connection.ops.adapt_datetimefield_value
    adapt_day = connection.ops.adapt_datefield_value
    person = "organisation_id = %s AND user_id = %s"
    span = f"{person} AND started_at >= %s AND started_at < %s"
    less = [f"{n} = {n} - %s" for n in rollups.COUNTS]
    with connection.cursor() as cursor:
        for day, (b, lost) in sorted(days.items()):
            start, end = rollups.day_bounds(tz, day)
            when = [org.pk, user_id, adapt(start), adapt(end)]
            sets = [
                *less,
                "unique_leads = unique_leads - %s",
                f"first_call_at = (SELECT MIN(started_at) FROM {calls} WHERE {span})",  # noqa: S608
                f"last_call_at = (SELECT MAX(started_at) FROM {calls} WHERE {span})",  # noqa: S608
            ]
            params = [*b.gone, lost, *when, *when]
            if any(n > b.dials.get(key, 0) for key, n in b.gone_dials.items()):
                # Dials by lead, or by number when no lead's (as rollups.compute keys them).
                sets.append(
                    f"max_same_number = COALESCE((SELECT MAX(n) FROM (SELECT COUNT(*) AS n FROM {calls} "  # noqa: S608
                    f"WHERE {span} AND direction = %s AND (lead_id IS NOT NULL OR number <> '') "
                    "GROUP BY lead_id, CASE WHEN lead_id IS NULL THEN number END) AS dials), 0)"
                )
                params += [*when, Direction.OUT]
            # Names from the models; the values are bound.
            cursor.execute(
                f"UPDATE {day_table} SET {', '.join(sets)} WHERE {person} AND day = %s",  # noqa: S608
                [*params, org.pk, user_id, adapt_day(day)],
            )
        for (day, hour), counts in sorted(hours.items()):
            cursor.execute(
                f"UPDATE {hour_table} SET {', '.join(less)} WHERE {person} AND day = %s AND hour = %s",  # noqa: S608
                [*counts, org.pk, user_id, adapt_day(day), hour],
            )
        cursor.execute(
            f"DELETE FROM {day_table} WHERE {person} AND day IN ({', '.join(['%s'] * len(days))}) "  # noqa: S608
            "AND calls = 0 AND shift_seconds = 0 AND missed_returned = 0 AND missed_not_returned = 0",
            [org.pk, user_id, *(adapt_day(d) for d in sorted(days))],
        )
        cursor.execute(
            f"DELETE FROM {hour_table} WHERE {person} AND calls = 0 AND ("  # noqa: S608
            + " OR ".join(["(day = %s AND hour = %s)"] * len(hours))
            + ")",
            [org.pk, user_id, *(v for d, h in sorted(hours) for v in (adapt_day(d), h))],
        )


def link_calls(org, lead_id: int, calls: list) -> None:
    """Calls that were no lead's became ``lead_id``'s (``calls``: their (id, user id, start)).
    On each of their person-days the lead is one more lead called unless the day held another
    call of it already, and the dials to its numbers (counted by number while no lead's) are now
    dials to the lead: the day's most dials is the larger of its own and the lead's count that
    day — every number the lead took is the lead's now, so no count it replaces was larger.
    One read of the lead's calls over those days (the lead's index: what the lead has, not
    what the days hold) and an update per day; a day with no row yet is computed whole."""
    if not calls:
        return
    tz = org.tzinfo
    linked = {pk for pk, _, _ in calls}
    keys = {(user, at.astimezone(tz).date()) for _, user, at in calls}
    start, _ = rollups.day_bounds(tz, min(day for _, day in keys))
    _, end = rollups.day_bounds(tz, max(day for _, day in keys))
    with transaction.atomic(savepoint=False):
        rollups._lock_people(org.pk, {user for user, _ in keys})
        had, dials = set(), Counter()
        found = Call.objects.filter(lead_id=lead_id, started_at__gte=start, started_at__lt=end).values_list(
            "pk", "user_id", "started_at", "direction"
        )
        for pk, user, at, direction in found:
            key = (user, at.astimezone(tz).date())
            if key not in keys:
                continue
            if pk not in linked:
                had.add(key)
            if direction == Direction.OUT:
                dials[key] += 1
        rows = Q()
        for user, day in sorted(keys):
            rows |= Q(user_id=user, day=day)
        seen = set()
        for pk, user, day, unique, most in UserDay.objects.filter(rows, organisation_id=org.pk).values_list(
            "pk", "user_id", "day", "unique_leads", "max_same_number"
        ):
            key = (user, day)
            seen.add(key)
            changed = {"unique_leads": unique + (key not in had), "max_same_number": max(most, dials[key])}
            if changed != {"unique_leads": unique, "max_same_number": most}:
                UserDay.objects.filter(pk=pk).update(**changed)
        if keys - seen:
            rollups.refresh(org, keys - seen)


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


def _upsert(*statements: tuple[str, list] | None) -> None:
    """Runs the upserts: on PostgreSQL as one statement, each before the last a WITH of it (a
    round trip a batch fewer; the tables differ, so no row is written twice in it); SQLite runs
    no write in a WITH: one each."""
    statements = [s for s in statements if s is not None]
    if connection.vendor == "postgresql" and len(statements) > 1:
        withs = ", ".join(f"w{i} AS ({sql})" for i, (sql, _) in enumerate(statements[:-1]))
        statements = [(f"WITH {withs} {statements[-1][0]}", [p for _, params in statements for p in params])]
    with connection.cursor() as cursor:
        for sql, params in statements:
            cursor.execute(sql, params)


def _upsert_sql(model, columns: list[str], unique: list[str], rows: list[tuple], assignments: list[str]):
    """One INSERT … ON CONFLICT (the unique key) DO UPDATE SET … for these rows (a batch touches
    one or two days, a few hours: a handful of rows), as (SQL, parameters); None for no rows."""
    if not rows:
        return None
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
    sql = (
        f"INSERT INTO {table} ({', '.join(columns)}) VALUES {', '.join([one] * len(rows))} "  # noqa: S608 — names from the models
        f"ON CONFLICT ({', '.join(unique)}) DO UPDATE SET {sets}"
    )
    return sql, params
