"""Writing a batch of new leads with bulk statements: the batch's leads, their numbers, tags and
timeline rows in a handful of multi-row INSERTs, instead of a model object and a save each."""

import contextlib
import json
from dataclasses import dataclass, field

from django.db import DatabaseError, connection
from django.utils.translation import gettext as _

from leadtracker.leads.actions.leads import CleanLead
from leadtracker.leads.actions.tags import _tag_objects
from leadtracker.leads.consent import imported_consents
from leadtracker.leads.models import Activity, ActivityKind, Lead, LeadPhone, LeadStatus, LeadTag
from leadtracker.leads.signals import leads_imported
from leadtracker.lib.bulk import insert_returning_ids, insert_rows, text_array


@dataclass
class Pending:
    """A new lead of the current batch, not yet written."""

    row_number: int
    clean: CleanLead
    notes: str = ""
    status: LeadStatus | None = None
    keys: list = field(default_factory=list)  # its numbers and @e-mail
    # False when the person said this row's owner stays unowned: the rules must not assign it.
    by_rules: bool = True
    warnings: list = field(default_factory=list)
    kept: list = field(default_factory=list)  # (column, raw value) noted on the timeline
    cells: list = field(default_factory=list)


def already_stored(org, phones: set, emails: set) -> dict:
    """Which of a batch's numbers and e-mails (as "@e-mail") are already stored, and on
    which lead: one statement."""
    if connection.vendor == "postgresql":
        return _already_stored_postgresql(org.id, phones, emails)
    return _already_stored_sqlite(org.id, phones, emails)


def _already_stored_sqlite(org_id: int, phones: set, emails: set) -> dict:
    """Each value looked up in its unique index (the e-mail's is partial: "NOT (email = '')",
    written as the index says it, lets SQLite use it), the numbers and e-mails in one
    statement: two ORM queries a batch cost ~2 ms more in building their SQL."""
    sql = """
        SELECT e164, lead_id FROM leads_leadphone
         WHERE organisation_id = %s AND e164 IN (SELECT value FROM json_each(%s))
        UNION ALL
        SELECT '@' || email, id FROM leads_lead
         WHERE organisation_id = %s AND NOT (email = '') AND email IN (SELECT value FROM json_each(%s))
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, [org_id, json.dumps(list(phones)), org_id, json.dumps(list(emails))])
        return dict(cursor.fetchall())


def _already_stored_postgresql(org_id: int, phones: set, emails: set) -> dict:
    """One statement, each value looked up in its unique index. Written as a LATERAL look-up
    a value (LIMIT 1 keeps the planner from flattening it into a join) because an import runs
    before autovacuum has analysed the tables it fills: the planner then thinks the
    organisation has a hundred leads, and chose to hash-join the whole organisation's numbers
    and leads against the batch's — 70 ms a batch at 100,000 leads, growing with every batch —
    where a thousand index look-ups take ~2 ms."""
    sql = """
        SELECT p.e164, p.lead_id FROM unnest(%s::text[]) AS n(v)
          JOIN LATERAL (SELECT e164, lead_id FROM leads_leadphone
                         WHERE organisation_id = %s AND e164 = n.v LIMIT 1) AS p ON true
        UNION ALL
        SELECT '@' || l.email, l.id FROM unnest(%s::text[]) AS m(v)
          JOIN LATERAL (SELECT email, id FROM leads_lead
                         WHERE organisation_id = %s AND email = m.v AND email <> '' LIMIT 1) AS l ON true
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, [text_array(phones), org_id, text_array(emails), org_id])
        return dict(cursor.fetchall())


def json_text(value) -> str:
    """A JSON column's value as text: what SQLite stores, and what PostgreSQL's COPY (text
    format, which every bulk write here is) reads into jsonb, without psycopg's Jsonb dumper,
    which costs ~15 µs a value in Python: three a lead."""
    return json.dumps(value, ensure_ascii=False)


LEAD_COLUMNS = [
    "organisation_id",
    "name",
    "company",
    "email",
    "phone",
    "phone_raw",
    "city",
    "address",
    "source_id",
    "status_id",
    "owner_id",
    "value",
    "created_at",
    "updated_at",
    "do_not_call",
    "marketing_consent",
    "lost_reason",
    "extra",
    "custom_fields",
]


def insert_leads(org, pending: list[Pending], *, default_status: LeadStatus, now) -> list[int]:
    """The leads' own rows; their ids, in the order of ``pending``."""
    rows = []
    no_extra = json_text({})  # most rows have no columns beyond the lead's own
    # Ids read as plain attributes, once where they are the same: `.pk` is a property.
    org_id, default_status_id = org.id, default_status.id
    for p in pending:
        f = p.clean.fields
        status, source = p.status or f["status"], f["source"]
        rows.append(
            (
                org_id,
                f["name"],
                f["company"],
                f["email"],
                f["phone"],
                f["phone_raw"],
                f["city"],
                f["address"],
                source.id if source is not None else None,
                status.id if status is not None else default_status_id,
                f["owner_id"],
                f["value"],
                f.get("created_at") or now,
                now,
                f["do_not_call"],
                f["marketing_consent"],
                f["lost_reason"],
                json_text(f["extra"]) if f["extra"] else no_extra,
                json_text(f["custom_fields"]) if f["custom_fields"] else no_extra,
            )
        )
    # One multi-row INSERT per 500 leads, ids back in order: what bulk_create does, without
    # building 500 model objects first.
    return insert_returning_ids(Lead, LEAD_COLUMNS, rows)


def insert_details(org, lead_ids: list[int], pending: list[Pending], *, actor, now) -> None:
    """What goes with the new leads: consents, numbers, tags, timeline rows, and the signal
    that lets calls follow the batch's numbers."""
    # Numbers and timeline rows need no ids back: plain INSERTs, several times cheaper
    # than building a model object for each. What each statement needs is gathered in one
    # pass over the batch (a loop over a thousand leads a statement added up to ~3% of an
    # import); the statements run in the order they did.
    org_id = org.id
    consented, phone_rows, numbers, tagged = [], [], {}, []
    for pk, p in zip(lead_ids, pending, strict=True):
        clean = p.clean
        if clean.fields["marketing_consent"]:
            consented.append(pk)
        e164s = numbers[pk] = []
        for i, (e164, raw) in enumerate(clean.phones):
            phone_rows.append((org_id, pk, e164, raw, e164.lstrip("+")[::-1], i))
            e164s.append(e164)
        if clean.tags:
            tagged.append((pk, clean.tags))
    imported_consents(org, consented, actor=actor)
    insert_rows(
        LeadPhone, ["organisation_id", "lead_id", "e164", "raw", "digits_reversed", "position"], phone_rows
    )
    if tagged:
        tags = {t.name: t for t in _tag_objects(org.pk, sorted({t for _, names in tagged for t in names}))}
        insert_rows(
            LeadTag,
            ["organisation_id", "lead_id", "tag_id"],
            [(org_id, pk, tags[name].id) for pk, names in tagged for name in names],
        )
    _insert_activities(org, lead_ids, pending, actor=actor, now=now)
    leads_imported.send(sender=Lead, organisation=org, numbers=numbers, actor=actor)


def _insert_activities(org, lead_ids: list[int], pending: list[Pending], *, actor, now) -> None:
    actor_id = actor.user.pk if actor.user else None
    imported, empty = json_text({"import": True}), json_text({})  # the same for every row
    org_id, created, note = org.id, ActivityKind.CREATED.value, ActivityKind.NOTE.value
    activities = []
    for pk, p in zip(lead_ids, pending, strict=True):
        activities.append((org_id, pk, created, actor_id, now, "", imported))
        if p.notes:
            activities.append((org_id, pk, note, actor_id, now, p.notes[:10_000], empty))
        if p.kept:
            # What the organisation could not take as it stood stays readable on the lead.
            body = "\n".join(
                _("Imported: %(column)s = %(value)s") % {"column": column, "value": value}
                for column, value in p.kept
            )
            activities.append((org_id, pk, note, actor_id, now, body[:10_000], imported))
    insert_rows(
        Activity, ["organisation_id", "lead_id", "kind", "actor_id", "at", "body", "data"], activities
    )


@contextlib.contextmanager
def unflushed_commits():
    """On PostgreSQL the batches but the last commit without waiting for their WAL to reach
    the disk (~13 ms a commit on this machine, a hundred commits in a 100,000-row import). A
    crash of the database server may lose the last few of them — each together with the
    progress committed in its transaction, so a job resumes from the last batch that survived:
    nothing lost, nothing doubled. The last batch's commit (on the command line, the closing
    audit record's) waits, and a commit that waits flushes every earlier one: when an import
    says it is done, all of it is on disk. Two statements an import, none a batch."""
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        yield  # inside a caller's transaction (a test): the caller's commit is the one
        return
    with connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit = off")
    try:
        yield
    finally:
        with contextlib.suppress(DatabaseError), connection.cursor() as cursor:
            # A connection that cannot say this is broken, and is closed, not reused.
            cursor.execute("RESET synchronous_commit")
