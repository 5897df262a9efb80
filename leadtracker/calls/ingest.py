"""What a stored call does, however it came: the shape a call has once read (from a phone's
sync batch or a call logged by hand) and the lead's last-contacted time it moves. Shared by
calls/sync.py and calls/actions.py, so neither imports the other."""

import dataclasses
import datetime as dt

from django.db import connection

from leadtracker.leads.models import Lead


@dataclasses.dataclass(slots=True)
class CleanCall:
    index: int
    device_call_id: str
    number: str  # E.164, or the digits of an invalid number, or "" when withheld
    valid: bool  # number is a valid E.164 number that can match a lead
    country_iso: str
    type: str
    status: str
    direction: str
    started_at: dt.datetime
    duration_s: int
    sim: str
    contact_name: str
    lead_id: int | None = None
    owner_id: int | None = None


def db_time():
    """How a UTC time goes into a raw statement: what Django's adapter gives, minus its cost
    (it converts zones on every call; ours are all UTC already, 1,000 a batch)."""
    if connection.vendor == "sqlite":
        return lambda moment: str(moment.astimezone(dt.UTC).replace(tzinfo=None))
    return lambda moment: moment


def touch_leads(stored: list[tuple[int, CleanCall]]) -> None:
    """Each lead's last-contacted time follows its newest call (any call, either way: an
    attempt is contact too, as most CRMs count it)."""
    newest: dict[int, dt.datetime] = {}
    for _, r in stored:
        if r.lead_id and (r.lead_id not in newest or r.started_at > newest[r.lead_id]):
            newest[r.lead_id] = r.started_at
    if not newest:
        return
    # One UPDATE for the batch, joined to a VALUES list (Django's CASE WHEN for 500 leads
    # costs 100 ms to compile); the guard keeps a newer time already there, so an older
    # batch arriving late never moves it back. UPDATE … FROM works on SQLite 3.33+ too.
    table = connection.ops.quote_name(Lead._meta.db_table)
    cast = ("::bigint", "::timestamptz") if connection.vendor == "postgresql" else ("", "")
    values = ", ".join([f"(%s{cast[0]}, %s{cast[1]})"] * len(newest))
    adapt = db_time()
    params = [p for lead_id, moment in newest.items() for p in (lead_id, adapt(moment))]
    with connection.cursor() as cursor:
        cursor.execute(
            f"WITH v(id, at) AS (VALUES {values}) "  # noqa: S608 — names from the model
            f"UPDATE {table} SET last_contacted_at = v.at FROM v "
            f"WHERE {table}.id = v.id "
            f"AND ({table}.last_contacted_at IS NULL OR {table}.last_contacted_at < v.at)",
            params,
        )


def touch_leads_of(inserted: str) -> str:
    """PostgreSQL: the same update as a WITH of the INSERT that stores a batch (``inserted``:
    its name in the statement, RETURNING lead_id and started_at), so the batch pays no round
    trip for it. Each lead's newest call among the rows inserted; the same guard."""
    table = connection.ops.quote_name(Lead._meta.db_table)
    return (
        f"UPDATE {table} SET last_contacted_at = v.at FROM "  # noqa: S608 — names from the model
        f"(SELECT lead_id AS id, MAX(started_at) AS at FROM {inserted} WHERE lead_id IS NOT NULL "
        f"GROUP BY lead_id) AS v WHERE {table}.id = v.id "
        f"AND ({table}.last_contacted_at IS NULL OR {table}.last_contacted_at < v.at)"
    )
