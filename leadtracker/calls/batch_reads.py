"""The reads a sync batch makes on its way (calls/sync.py, callbacks.py, sheet/twins.py), written
as SQL once instead of built by the ORM on every batch.

Why: a batch of ~40 calls spent about 40 % of its CPU building and compiling the ORM's
querysets (`filter`, `as_sql`), against the driver's one statement a raw insert runs
(docs/performance.md, issue 21 item 5). These statements are the same every batch; only their
values change, and every value is bound. Each says the same WHERE as the queryset it replaces,
so the databases' plans are the ones they were (and SQLite's INDEXED BY where the ORM's had it).
Times come back as aware UTC datetimes, as the ORM gave them (``as_utc``).
"""

import datetime as dt
import json

from django.db import connection

from leadtracker.accounts.models import PushSubscription
from leadtracker.attendance.models import Shift
from leadtracker.calls.models import TALKED, Call, CallBack
from leadtracker.leads.models import Lead, LeadPhone
from leadtracker.lib.bulk import text_array
from leadtracker.lib.rows import build, select_list


def as_utc(value) -> dt.datetime:
    """A time read by a hand-written statement: SQLite gives the naive datetime its converter
    made (or the text Django wrote, where no column type reaches the converter, as with
    RETURNING); either is UTC. PostgreSQL gives an aware datetime."""
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value


def _q(name: str) -> str:
    return connection.ops.quote_name(name)


def _marks(n: int) -> str:
    return ", ".join(["%s"] * n)


def _one_of(values) -> tuple[str, list]:
    """``IN (…)`` of many texts as one parameter, as lib/bulk.one_of says it to the ORM."""
    values = [str(v) for v in values]
    if connection.vendor == "postgresql":
        return "IN (SELECT unnest(%s::text[]))", [text_array(values)]
    return "IN (SELECT value FROM json_each(%s))", [json.dumps(values)]


def _time(moment: dt.datetime):
    return connection.ops.adapt_datetimefield_value(moment)


def shifts_and_leads(org_id: int, user_id: int, first, last, numbers) -> tuple[list[tuple], dict, bool]:
    """One statement for the reads a batch starts with: (start, end or None) of the person's
    shifts that overlap [first, last]; {E.164: (lead id, its owner's id)} of these numbers that
    are a lead's (one lead a number: the organisation's numbers are unique); and whether the
    person has a browser to push to (the "how did it go?" prompt, calls/tasks.py, asks it after
    a batch stores calls). A UNION ALL of the reads, each as it was on its own (the same WHERE,
    the same index)."""
    shift = (
        f"SELECT 's', started_at, ended_at, NULL, NULL, NULL FROM {_q(Shift._meta.db_table)} "  # noqa: S608 — names from the model
        "WHERE organisation_id = %s AND started_at <= %s AND user_id = %s "
        "AND (ended_at IS NULL OR ended_at >= %s)"
    )
    params = [org_id, _time(last), user_id, _time(first)]
    if numbers:
        among, more = _one_of(numbers)
        phone, lead = _q(LeadPhone._meta.db_table), _q(Lead._meta.db_table)
        shift += (
            f" UNION ALL SELECT 'l', NULL, NULL, {phone}.e164, {phone}.lead_id, {lead}.owner_id "  # noqa: S608 — as above
            f"FROM {phone} INNER JOIN {lead} ON {phone}.lead_id = {lead}.id "
            f"WHERE {phone}.e164 {among} AND {phone}.organisation_id = %s"
        )
        params += [*more, org_id]
    # Last: PostgreSQL types a UNION's columns from left to right, and this part's are all NULL.
    shift += (
        " UNION ALL SELECT 'p', NULL, NULL, NULL, NULL, NULL WHERE EXISTS (SELECT 1 FROM "  # noqa: S608 — as above
        f"{_q(PushSubscription._meta.db_table)} WHERE organisation_id = %s AND user_id = %s)"
    )
    params += [org_id, user_id]
    found, leads, pushes = [], {}, False
    with connection.cursor() as cursor:
        cursor.execute(shift, params)
        for kind, start, end, e164, lead_id, owner_id in cursor.fetchall():
            if kind == "s":
                found.append((as_utc(start), None if end is None else as_utc(end)))
            elif kind == "p":
                pushes = True
            else:
                leads[e164] = (lead_id, owner_id)
    return found, leads, pushes


def logged_calls(org_id: int, user_id: int, via: str, direction: str, numbers, first, last) -> list[Call]:
    """The person's calls logged by the outcome sheet (``via``, with a key) to these numbers
    between first and last, in time order: the twins a batch may absorb (none, nearly always)."""
    table = _q(Call._meta.db_table)
    sql = (
        f"SELECT {select_list(Call, table, connection)} FROM {table} "  # noqa: S608 — names from the model
        f"WHERE organisation_id = %s AND user_id = %s AND via = %s AND direction = %s "
        f"AND number IN ({_marks(len(numbers))}) AND started_at >= %s AND started_at <= %s "
        "AND NOT (outcome_key = '') ORDER BY started_at, id"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [org_id, user_id, via, direction, *sorted(numbers), _time(first), _time(last)])
        return [build(Call, row, 0)[0] for row in cursor.fetchall()]


def open_call_backs(org_id: int, numbers) -> list[CallBack]:
    """The open call-backs of these numbers, locked (PostgreSQL; SQLite's transaction holds the
    database's write lock already). One lookup a number on the index of open ones: SQLite's
    planner, from five numbers on, walked every open call-back of the organisation instead
    (call_back_open), so a sync batch cost more as missed calls waited (issue 21)."""
    table = _q(CallBack._meta.db_table)
    numbers = sorted(numbers)
    pg = connection.vendor == "postgresql"
    sql = (
        f"SELECT {select_list(CallBack, table, connection)} FROM {table}"  # noqa: S608 — names from the model
        f"{'' if pg else ' INDEXED BY one_open_call_back'} "
        f"WHERE organisation_id = %s AND number IN ({_marks(len(numbers))}) AND closed_at IS NULL"
        f"{' FOR UPDATE' if pg else ''}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [org_id, *numbers])
        return [build(CallBack, row, 0)[0] for row in cursor.fetchall()]


def talks_since(org_id: int, numbers, since: dt.datetime) -> list[tuple[int, str, dt.datetime]]:
    """(id, number, start) of the calls that talked with these numbers from ``since`` on."""
    numbers = sorted(numbers)
    sql = (
        f"SELECT id, number, started_at FROM {_q(Call._meta.db_table)} "  # noqa: S608 — names from the model
        f"WHERE number IN ({_marks(len(numbers))}) AND organisation_id = %s AND started_at >= %s "
        f"AND status IN ({_marks(len(TALKED))})"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*numbers, org_id, _time(since), *sorted(str(s) for s in TALKED)])
        return [(pk, number, as_utc(at)) for pk, number, at in cursor.fetchall()]


def calls_by_id(ids) -> list[tuple[int, int, int, dt.datetime]]:
    """(id, organisation id, person id, start) of these calls. By id alone: with the
    organisation's id beside it, SQLite walked the organisation's calls on an index that leads
    with it (the day's, at least) instead of the key."""
    ids = sorted(ids)
    sql = (
        f"SELECT id, organisation_id, user_id, started_at FROM {_q(Call._meta.db_table)} "  # noqa: S608 — names from the model
        f"WHERE id IN ({_marks(len(ids))})"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, ids)
        return [(pk, org_id, user, as_utc(at)) for pk, org_id, user, at in cursor.fetchall()]


def has_push_subscription(org_id: int, user_id: int) -> bool:
    """Whether the person has a browser to push to in the organisation."""
    sql = (
        f"SELECT 1 FROM {_q(PushSubscription._meta.db_table)} "  # noqa: S608 — names from the model
        "WHERE organisation_id = %s AND user_id = %s LIMIT 1"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [org_id, user_id])
        return cursor.fetchone() is not None
