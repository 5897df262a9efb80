"""The figures the dashboards show, read from the roll-ups (never from the raw calls).

Contract for the pages (names are stable; a change is noted here):

- ``Range(start, end)``: dates, both inclusive, in the organisation's time zone.
  ``range_for(org, "today" | "yesterday" | "7d" | "30d", today=None)`` builds the usual ones
  ("7d" and "30d" end today and include it).
- ``scope_user_ids(viewer, team=None) -> list[int] | None``: whose figures the viewer sees.
  None means the whole organisation (owner or admin without a team). A manager gets their
  subtree, an agent only themself; ``team`` (a Membership the view loaded through
  ``visible_memberships`` — 404 otherwise) narrows it to that person's subtree.
- ``summary(org, rng, user_ids) -> dict`` with keys: ``calls``; one key per call status
  (``answered connected not_connected missed rejected blocked voicemail answered_elsewhere``);
  ``calls_in calls_out``; ``talked`` (calls with a conversation) and ``connected_rate``
  (talked / calls, 0–1, None without calls); ``talk_seconds short_calls``; ``unique_leads``
  (distinct leads per person-day, summed: a lead called on two days counts twice);
  ``first_call_at last_call_at`` (aware UTC datetimes or None); ``missed_returned
  missed_not_returned`` (missed calls that rang in the range, returned since or not);
  ``median_seconds_to_return`` (int or None); ``shift_seconds`` (closed shifts only).
- ``by_hour(org, rng, user_ids) -> list`` of 24 dicts ``{hour, calls, <status>…, calls_in,
  calls_out, talked, talk_seconds, short_calls}``, hour 0–23 in the organisation's zone.
- ``per_agent(org, rng, user_ids) -> list`` of dicts, one per person with any figure in the
  range, most conversations first: ``{user_id, name, calls, <status>…, calls_in, calls_out,
  talked, talk_seconds, short_calls, max_same_number, unique_leads, shift_seconds,
  missed_returned, missed_not_returned, flags}``; ``flags`` is a list of ``"short_calls"``,
  ``"repeat_dials"``, ``"low_talk"`` (thresholds below, explained in docs/decisions.md).
- ``daily(org, rng, user_ids) -> list`` of dicts, one per date of the range (zeros included):
  ``{date, calls, <status>…, calls_in, calls_out, talked, talk_seconds, short_calls,
  missed_returned, missed_not_returned, shift_seconds}``.
- ``team_median(rows, field)``: the median of one field over ``per_agent`` rows (the agent's
  day shows "you" beside it).
- ``funnel(org, user_ids) -> list`` of ``{status_id, name, kind, colour, leads}``, every active status
  in its order: leads owned by the people in scope (None: all leads, unowned ones included),
  now — read from the counts the database keeps (``LeadCount``), never stale.
- ``conversion_by_source(org, rng, user_ids) -> list`` of ``{source_id, name, colour, leads,
  won, rate}``: leads created in the range by source (None source: "No source"), ``won`` those
  now in a status of kind won, ``rate`` won / leads.
- ``organisation_live_counts(org_id, now=None) -> {overdue_follow_ups, missed_waiting}``: a whole
  organisation's leads with their next follow-up past, and its open call-backs — what
  ``leads.selectors.overdue_follow_ups`` and ``calls.selectors.waiting_call_backs`` count for
  an owner, read from the counts the database keeps.
- ``open_call_backs_of(org_id, user_ids, nobody=) -> int``: the open call-backs of these people
  (and of nobody, for a manager's own scope) from the same kept counts — a team's tile.
- ``colour`` (funnel and sources) is a name from ``leads.colours.PALETTE``: the one the admin
  picked or the default the chips show; "No source" is ``NO_SOURCE_COLOUR``.
"""

import datetime as dt
import json
import statistics
from typing import NamedTuple

from django.db import connection
from django.db.models import Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from leadtracker.accounts.models import Membership
from leadtracker.accounts.visibility import subtree_membership_ids, visible_user_ids
from leadtracker.calls.models import CallStatus
from leadtracker.leads import colours
from leadtracker.leads.models import Lead, LeadSource, LeadStatus, StatusKind
from leadtracker.reports.models import (
    CreatedCount,
    FollowUpDueCount,
    LeadCount,
    OpenCallBackCount,
    OrganisationDay,
    OrganisationHour,
    UserDay,
    UserHour,
)
from leadtracker.reports.rollups import COUNTS, day_bounds

STATUSES = tuple(CallStatus.values)
TALKED_STATUSES = ("answered", "connected", "answered_elsewhere")
# Leads without a source are nobody's choice: the neutral grey.
NO_SOURCE_COLOUR = "slate"

# Gaming flags on the leaderboard (docs/decisions.md, "reports — roll-ups").
# Many conversations under rollups.SHORT_CALL_S seconds: at least this many, and this share
# of the person's conversations (a real call rarely ends in under ten seconds).
SHORT_CALLS_FLAG_MIN = 20
SHORT_CALLS_FLAG_SHARE = 0.3
# The same number dialled over and over: this many outgoing calls to one number in one day.
REPEAT_DIAL_FLAG = 8
# High call count with little talk: calls at least HIGH_CALLS_FACTOR × the group's median
# calls, and talk per call at most LOW_TALK_FACTOR × the group's median talk per call.
HIGH_CALLS_FACTOR = 1.5
LOW_TALK_FACTOR = 0.5
# The talk flag compares people with each other, so it needs a group of at least this size.
LOW_TALK_MIN_GROUP = 3


class Range(NamedTuple):
    start: dt.date
    end: dt.date

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def dates(self) -> list[dt.date]:
        return [self.start + dt.timedelta(days=n) for n in range(self.days)]


PRESETS = ("today", "yesterday", "7d", "30d")


def today_in(org) -> dt.date:
    return dt.datetime.now(org.tzinfo).date()


def range_for(org, preset: str, today: dt.date | None = None) -> Range:
    today = today or today_in(org)
    if preset == "today":
        return Range(today, today)
    if preset == "yesterday":
        day = today - dt.timedelta(days=1)
        return Range(day, day)
    if preset == "7d":
        return Range(today - dt.timedelta(days=6), today)
    if preset == "30d":
        return Range(today - dt.timedelta(days=29), today)
    raise ValueError(f"unknown range {preset!r}; one of {', '.join(PRESETS)}")


def scope_user_ids(viewer: Membership, team: Membership | None = None) -> list[int] | None:
    """Whose figures ``viewer`` sees, narrowed to ``team``'s subtree when given."""
    visible = visible_user_ids(viewer)
    if team is None:
        return None if visible is None else sorted(visible)
    if team.organisation_id != viewer.organisation_id:
        return []
    ids = subtree_membership_ids(team)
    team_users = set(Membership.objects.filter(pk__in=ids).values_list("user_id", flat=True))
    return sorted(team_users if visible is None else team_users & visible)


def _with_talked(row: dict) -> dict:
    row["talked"] = sum(row[s] for s in TALKED_STATUSES)
    return row


def median(values: list[int]) -> int | None:
    return round(statistics.median(values)) if values else None


def summary(org, rng: Range, user_ids: list[int] | None) -> dict:
    extra = ("unique_leads", "missed_returned", "missed_not_returned", "shift_seconds")
    if user_ids is None:
        out = _organisation_summary(org, rng, extra)
        wait = _organisation_median_wait(org, rng)
    else:
        out, wait = _people_summary(org, rng, user_ids, extra)
    _with_talked(out)
    out["connected_rate"] = out["talked"] / out["calls"] if out["calls"] else None
    out["median_seconds_to_return"] = wait
    return out


def _people_summary(org, rng: Range, user_ids: list[int], extra: tuple) -> tuple[dict, int | None]:
    """These people's sums, first and last call, and median wait, from their person-days in one
    hand-written statement: the waits joined by the database into one text, decoded once as one
    list (Django's JSON decode of each row, then fetching them as rows of text, cost more; and
    the ORM's two statements cost more CPU to build than the database to answer)."""
    names = (*COUNTS, *extra)
    if not user_ids:
        return {**dict.fromkeys(names, 0), "first_call_at": None, "last_call_at": None}, None
    waits = _joined_waits()
    where, params = _scope(org, rng, user_ids)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {_sum_sql(names)}, MIN(first_call_at), MAX(last_call_at), {waits} "  # noqa: S608 — names only
            f"FROM {UserDay._meta.db_table} WHERE {where}",
            params,
        )
        *sums, first, last, joined = cursor.fetchone()
    out = {
        **dict(zip(names, sums, strict=True)),
        "first_call_at": _aware(first),
        "last_call_at": _aware(last),
    }
    return out, median(json.loads("[" + (joined or "") + "]"))


def _joined_waits() -> str:
    """SQL of the person-days' wait lists, each without its brackets, empty ones left out, joined
    by commas ("[1, 2]", "[]", "[5]" -> "1, 2,5"), for one json.loads of "[" + text + "]"."""
    if connection.vendor == "postgresql":
        return (
            "STRING_AGG(CASE WHEN missed_returned > 0 THEN "
            "NULLIF(TRIM(BOTH '[]' FROM CAST(return_seconds AS text)), '') END, ',')"
        )
    return "GROUP_CONCAT(CASE WHEN missed_returned > 0 THEN NULLIF(TRIM(return_seconds, '[]'), '') END, ',')"


def _organisation_median_wait(org, rng: Range) -> int | None:
    """The median of the whole organisation's waits in the range, from its person-days' lists
    joined by the database, as for a team (``_people_summary``). Counts of the waits kept by
    triggers on the person-days were tried (7 Dec) and taken out: a sync batch rewrites its
    person-day's sorted list, so the triggers read the whole list twice on every batch, and a
    batch late in an auto-dialler's day cost more than an early one
    (test_call_back_figures_added)."""
    where, params = _scope(org, rng, None)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {_joined_waits()} FROM {UserDay._meta.db_table} WHERE {where}", params)  # noqa: S608 — names only
        (joined,) = cursor.fetchone()
    return median(json.loads("[" + (joined or "") + "]"))


def _organisation_summary(org, rng: Range, extra: tuple) -> dict:
    """The whole organisation's sums from its day rows (one a day, kept by triggers); the first
    and last call from the person-days of the first and the last day that has calls only. One
    hand-written statement (the ORM's two cost more CPU to build than the database to answer)."""
    names = (*COUNTS, *extra)
    days, people = OrganisationDay._meta.db_table, UserDay._meta.db_table
    where, params = _scope(org, rng, None)
    edge = (
        f"FROM {people} WHERE organisation_id = %s "  # noqa: S608 — names only
        f"AND day = (SELECT {{}}(day) FROM {days} WHERE {where} AND calls > 0)"
    )
    sql = (
        f"SELECT {_sum_sql(names)}, "  # noqa: S608 — names only
        f"(SELECT MIN(first_call_at) {edge.format('MIN')}), (SELECT MAX(last_call_at) {edge.format('MAX')}) "
        f"FROM {days} WHERE {where}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [org.pk, *params, org.pk, *params, *params])
        *sums, first, last = cursor.fetchone()
    out = dict(zip(names, sums, strict=True))
    out["first_call_at"], out["last_call_at"] = _aware(first), _aware(last)
    return out


def _aware(value) -> dt.datetime | None:
    # SQLite gives a time as its naive UTC text; the ORM's converter made it an aware datetime.
    if isinstance(value, str):
        return dt.datetime.fromisoformat(value).replace(tzinfo=dt.UTC)
    return value


def _scope(org, rng: Range, user_ids: list[int] | None) -> tuple[str, list]:
    """The WHERE of a hand-written read of roll-up rows: the organisation's, in the range, and
    (``user_ids`` not None) these people's."""
    ops = connection.ops
    params = [org.pk, ops.adapt_datefield_value(rng.start), ops.adapt_datefield_value(rng.end)]
    where = "organisation_id = %s AND day >= %s AND day <= %s"
    if user_ids is not None:
        where += f" AND user_id IN ({', '.join(['%s'] * len(user_ids))})"
        params += user_ids
    return where, params


def _sum_sql(names) -> str:
    # bigint: PostgreSQL sums a bigint column as numeric; the ORM gave ints.
    return ", ".join(f"CAST(COALESCE(SUM({name}), 0) AS bigint)" for name in names)


def _summed_by(key: str, model, org, rng: Range, user_ids: list[int] | None, names) -> dict:
    """{key's value: {key, each name's sum}} of the rows in scope, in one hand-written statement:
    building and compiling the ORM's queryset cost more CPU than the read (an organisation's
    month on PostgreSQL, client CPU: by_hour 3.8 -> 0.6 ms, daily 4.8 -> 0.7)."""
    if user_ids is not None and not user_ids:
        return {}
    where, params = _scope(org, rng, user_ids)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {key}, {_sum_sql(names)} FROM {model._meta.db_table} WHERE {where} GROUP BY {key}",  # noqa: S608 — names only
            params,
        )
        fetched = cursor.fetchall()
    return {row[0]: dict(zip((key, *names), row, strict=True)) for row in fetched}


def by_hour(org, rng: Range, user_ids: list[int] | None) -> list[dict]:
    # The whole organisation reads its own hours (24 a day), not every person's.
    model = UserHour if user_ids is not None else OrganisationHour
    found = _summed_by("hour", model, org, rng, user_ids, COUNTS)
    return [_with_talked(found.get(h) or {"hour": h, **dict.fromkeys(COUNTS, 0)}) for h in range(24)]


def daily(org, rng: Range, user_ids: list[int] | None) -> list[dict]:
    extra = ("missed_returned", "missed_not_returned", "shift_seconds")
    model = UserDay if user_ids is not None else OrganisationDay
    found = {}
    for row in _summed_by("day", model, org, rng, user_ids, (*COUNTS, *extra)).values():
        # SQLite gives the day as its text; the ORM's converter made it a date.
        row["day"] = row["day"] if isinstance(row["day"], dt.date) else dt.date.fromisoformat(row["day"])
        found[row["day"]] = row
    out = []
    for day in rng.dates():
        row = found.get(day) or {"day": day, **dict.fromkeys((*COUNTS, *extra), 0)}
        row["date"] = row.pop("day")
        out.append(_with_talked(row))
    return out


def team_median(rows: list[dict], field: str) -> float | None:
    values = [r[field] for r in rows]
    return statistics.median(values) if values else None


_AGENT_SUMS = (*COUNTS, "unique_leads", "shift_seconds", "missed_returned", "missed_not_returned")
_AGENT_KEYS = ("user_id", *_AGENT_SUMS, "max_same_number")


def per_agent(org, rng: Range, user_ids: list[int] | None) -> list[dict]:
    if user_ids is not None and not user_ids:
        return []
    # One hand-written statement: the person-days summed by user id alone, names joined to the
    # 200 sums after (the ORM grouped by id, name and email, sorting 6,000 rows by the texts),
    # and no queryset built and compiled on every page. Organisation's month, PostgreSQL, CPU
    # client + server: 7.3 + 8.1 -> 1.8 + 3.8 ms.
    days, users = UserDay._meta.db_table, UserDay._meta.get_field("user").related_model._meta.db_table
    where, params = _scope(org, rng, user_ids)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT a.*, u.full_name, u.email FROM (SELECT user_id, {_sum_sql(_AGENT_SUMS)}, "  # noqa: S608 — names only
            f"CAST(COALESCE(MAX(max_same_number), 0) AS bigint) FROM {days} "
            f"WHERE {where} GROUP BY user_id) a JOIN {users} u ON u.id = a.user_id ORDER BY a.user_id",
            params,
        )
        fetched = cursor.fetchall()
    rows = []
    for *figures, full_name, email in fetched:
        row = _with_talked(dict(zip(_AGENT_KEYS, figures, strict=True)))
        row["name"] = full_name or email
        rows.append(row)
    _flag(rows)
    rows.sort(key=lambda r: (-r["talked"], -r["talk_seconds"], r["name"], r["user_id"]))
    return rows


def _flag(rows: list[dict]) -> None:
    callers = [r for r in rows if r["calls"]]
    median_calls = team_median(callers, "calls")
    median_talk = statistics.median([r["talk_seconds"] / r["calls"] for r in callers]) if callers else None
    for r in rows:
        flags = []
        spoke = r["answered"] + r["connected"]
        if r["short_calls"] >= SHORT_CALLS_FLAG_MIN and r["short_calls"] >= SHORT_CALLS_FLAG_SHARE * spoke:
            flags.append("short_calls")
        if r["max_same_number"] >= REPEAT_DIAL_FLAG:
            flags.append("repeat_dials")
        if (
            len(callers) >= LOW_TALK_MIN_GROUP
            and r["calls"]
            and r["calls"] >= HIGH_CALLS_FACTOR * median_calls
            and r["talk_seconds"] / r["calls"] <= LOW_TALK_FACTOR * median_talk
        ):
            flags.append("low_talk")
        r["flags"] = flags


def funnel(org, user_ids: list[int] | None) -> list[dict]:
    # The counts the database keeps per owner and status (models.LeadCount): a few hundred
    # rows for a whole organisation instead of a count over its leads; summed by status and
    # joined to the statuses in one hand-written statement (the ORM's two cost more CPU to
    # build than to answer).
    counts, statuses = LeadCount._meta.db_table, LeadStatus._meta.db_table
    params = [org.pk]
    owners = ""
    if user_ids is not None:
        owners = f" AND owner_id IN ({', '.join(['%s'] * len(user_ids))})" if user_ids else " AND FALSE"
        params += user_ids
    sql = (
        f"SELECT s.id, s.name, s.kind, s.position, s.colour, s.is_active, CAST(COALESCE(c.n, 0) AS bigint) "  # noqa: S608 — names only
        f"FROM {statuses} s LEFT JOIN (SELECT status_id, SUM(n) AS n FROM {counts} "
        f"WHERE organisation_id = %s{owners} GROUP BY status_id) c ON c.status_id = s.id "
        "WHERE s.organisation_id = %s ORDER BY s.position, s.id"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, org.pk])
        rows = cursor.fetchall()
    return [
        {
            "status_id": pk,
            "name": name,
            "kind": kind,
            "colour": colour or colours.status_default(kind, position),  # LeadStatus.chip
            "leads": n,
        }
        for pk, name, kind, position, colour, is_active, n in rows
        if is_active or n
    ]


def conversion_by_source(org, rng: Range, user_ids: list[int] | None) -> list[dict]:
    tz = org.tzinfo
    start, _ = day_bounds(tz, rng.start)
    _, end = day_bounds(tz, rng.end)
    if user_ids is not None:
        found = _created(org, [(start, end)], user_ids) if user_ids else {}
    else:
        found = _created_in_organisation(org, start, end)
    out = [
        {
            "source_id": source_id,
            "name": name or "No source",
            "colour": _source_colour(source_id, colour),
            "leads": n,
            "won": won,
            "rate": won / n,
        }
        for source_id, (name, colour, n, won) in found.items()
        if n
    ]
    # Sorted here: the databases put a NULL source's name at opposite ends.
    return sorted(out, key=lambda r: (-r["leads"], r["name"], r["source_id"] or 0))


def _created(org, spans, owner_ids=None, kept_days=None) -> dict:
    """{source id or None: [name, colour, leads, won]} of the leads created in any of ``spans``
    (of ``owner_ids``' leads, when given), counted from the leads, and (``kept_days``: the UTC
    days [first, last)) from the counts the triggers keep (models.CreatedCount). One hand-written
    statement: a UNION ALL of one range of the lead_created index per span (it holds every
    column read but the names) and the kept counts' days. The ORM's OR of the two spans made
    PostgreSQL OR two bitmaps and read each lead's heap page (2,400 pages, 13 of its 16 ms for an
    organisation's month at a million leads), and the kept counts were a statement of their own."""
    ops = connection.ops
    lead, source, status = (m._meta.db_table for m in (Lead, LeadSource, LeadStatus))
    owners = "" if owner_ids is None else f" AND owner_id IN ({', '.join(['%s'] * len(owner_ids))})"
    parts = [
        f"SELECT source_id, status_id, 1 AS n FROM {lead} "  # noqa: S608 — names only
        f"WHERE organisation_id = %s AND created_at >= %s AND created_at < %s{owners}"
    ] * len(spans)
    params = [StatusKind.WON.value]
    for lo, hi in spans:
        params += [org.pk, ops.adapt_datetimefield_value(lo), ops.adapt_datetimefield_value(hi)]
        params += owner_ids or []
    if kept_days is not None:
        # source_id 0 is no source there (a key, not a foreign key).
        parts.append(
            f"SELECT NULLIF(source_id, 0), status_id, n FROM {CreatedCount._meta.db_table} "  # noqa: S608
            "WHERE organisation_id = %s AND day >= %s AND day < %s"
        )
        params += [org.pk, *(ops.adapt_datefield_value(d) for d in kept_days)]
    sql = (
        "SELECT l.source_id, s.name, s.colour, SUM(l.n), SUM(CASE WHEN st.kind = %s THEN l.n ELSE 0 END) "  # noqa: S608
        f"FROM ({' UNION ALL '.join(parts)}) l "
        f"LEFT JOIN {source} s ON s.id = l.source_id LEFT JOIN {status} st ON st.id = l.status_id "
        "GROUP BY l.source_id, s.name, s.colour"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return {source_id: [name, colour, int(n), int(won)] for source_id, name, colour, n, won in rows}


def _created_in_organisation(org, start: dt.datetime, end: dt.datetime) -> dict:
    """The same for a whole organisation: the whole UTC days inside [start, end) from the
    counts the triggers keep (models.CreatedCount), the parts of a day at either end from the
    leads. One statement, whatever the range."""
    first = start.date() if start.time() == dt.time(0) else start.date() + dt.timedelta(days=1)
    last = end.date()  # the days before this one, from first on, are whole
    if first >= last:
        return _created(org, [(start, end)])
    midnight = dt.datetime.combine(first, dt.time(0), dt.UTC), dt.datetime.combine(last, dt.time(0), dt.UTC)
    return _created(org, [(start, midnight[0]), (midnight[1], end)], kept_days=(first, last))


def _source_colour(source_id: int | None, picked: str | None) -> str:
    # The same choice as LeadSource.chip, from the row already read (no source objects loaded).
    if source_id is None:
        return NO_SOURCE_COLOUR
    return picked or colours.source_default(source_id)


def organisation_live_counts(org_id: int, now: dt.datetime | None = None) -> dict:
    """The whole organisation's overdue follow-ups and open call-backs in one statement, from
    the counts the triggers keep (models.FollowUpDueCount, OpenCallBackCount): the due days
    before today's (UTC) summed, and only today's due leads counted live (an index range of
    lead_follow_up_due, leads 0016), against every overdue lead's index entry before (175,000
    at a million leads) and every open call-back (155,000 at ten million calls)."""
    now = now or timezone.now()
    midnight = now.astimezone(dt.UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    ops = connection.ops
    sql = (
        f"SELECT (SELECT COALESCE(SUM(n), 0) FROM {FollowUpDueCount._meta.db_table}"  # noqa: S608 — names only
        " WHERE organisation_id = %s AND day < %s)"
        f" + (SELECT COUNT(*) FROM {Lead._meta.db_table}"
        " WHERE organisation_id = %s AND next_follow_up_at >= %s AND next_follow_up_at < %s),"
        f" (SELECT COALESCE(SUM(n), 0) FROM {OpenCallBackCount._meta.db_table} WHERE organisation_id = %s)"
    )
    params = [org_id, ops.adapt_datefield_value(midnight.date()), org_id]
    params += [ops.adapt_datetimefield_value(midnight), ops.adapt_datetimefield_value(now), org_id]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        overdue, waiting = cursor.fetchone()
    return {"overdue_follow_ups": int(overdue), "missed_waiting": int(waiting)}


def open_call_backs_of(org_id: int, user_ids, *, nobody: bool) -> int:
    """How many call-backs are open for ``user_ids`` (and, with ``nobody``, those assigned to
    nobody), from the counts the triggers keep (models.OpenCallBackCount: one row per assignee,
    0 for nobody) — what calls.selectors.waiting_call_backs counts for a team or a manager's
    people. Counted live, the manager's "theirs or nobody's" is an OR that no index answers:
    SQLite walked every open call-back of the organisation (161 of a team page's 241 ms at ten
    million calls)."""
    assignees = [*user_ids, 0] if nobody else list(user_ids)
    if not assignees:
        return 0
    kept = OpenCallBackCount.objects.filter(organisation_id=org_id, assignee_id__in=assignees)
    return int(kept.aggregate(n=Coalesce(Sum("n"), 0))["n"])
