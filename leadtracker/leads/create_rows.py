"""A new lead's own rows after the lead itself: its numbers, its tags (made if missing) and their
links, its timeline entry and its audit event — on PostgreSQL in one statement.

Each is an INSERT that depends on nothing the others return but the tags' ids, and a create
waited for each answer in turn: five round trips, each with its parse and plan on the server.
PostgreSQL runs several INSERTs as one statement when all but the last are in its WITH clause
(data-modifying CTEs: each runs exactly once, all see the same snapshot, the links read the
tags' ids from the tags' RETURNING); the final SELECT returns the ids of what was written, so
the objects are as Django's own saves leave them. The foreign keys are checked at COMMIT as
before (deferred), a number or e-mail already taken still raises IntegrityError from the
statement. The objects' post_save is sent as their save() would (reports listens to audit
events). SQLite (no INSERT in WITH) writes them one by one, as before.

Not an action of its own (hence beside, not inside, leads/actions/): create_lead calls it inside
its transaction with the audit event it made, and the audit walk goes through create_lead."""

from django.db import connection
from django.db.models.signals import post_save
from django.db.models.sql import InsertQuery

from leadtracker.accounts.models import AuditEvent
from leadtracker.leads.models import Activity, LeadPhone, LeadTag, Tag


def write(lead, phones: list[LeadPhone], tag_names: list[str], activity: Activity, event: AuditEvent):
    """Insert ``phones``, the tags named (the organisation's, those missing made), the lead's
    links to them, ``activity`` and ``event``. Returns (phones, tags sorted by name)."""
    if connection.vendor != "postgresql":
        phones = LeadPhone.objects.bulk_create(phones)
        tags = tags_named(lead.organisation_id, tag_names)
        if tags:
            LeadTag.objects.bulk_create(
                [LeadTag(organisation_id=lead.organisation_id, lead=lead, tag=t) for t in tags]
            )
        activity.save()
        event.save(force_insert=True)
        return phones, tags
    q = connection.ops.quote_name
    parts, params, selects = [], [], []
    if tag_names:
        sql, values = _tags_sql(lead.organisation_id, tag_names)
        parts.append(f"t AS ({sql})")
        params += values
        parts.append(
            f"lt AS (INSERT INTO {q(LeadTag._meta.db_table)} ({q('organisation_id')}, {q('lead_id')}, "  # noqa: S608 - names from the models
            f"{q('tag_id')}) SELECT %s, %s, id FROM t)"
        )
        params += [lead.organisation_id, lead.pk]
        selects.append("SELECT 't', id, name FROM t")
    for name, objs, returned in (("p", phones, "e164"), ("a", [activity], None), ("e", [event], None)):
        if not objs:
            continue
        sql, values = _insert_sql(type(objs[0]), objs)
        returning = f"id, {q(returned)}" if returned else "id, ''"
        parts.append(f"{name} AS ({sql} RETURNING {returning})")
        params += values
        selects.append(f"SELECT '{name}', * FROM {name}")  # noqa: S608 - names of this function's own
    statement = f"WITH {', '.join(parts)} " + " UNION ALL ".join(selects)
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        found = cursor.fetchall()
    ids = {"p": [], "a": [], "e": []}
    tags = []
    for kind, pk, text in found:
        if kind == "t":
            tags.append(Tag(pk=pk, organisation_id=lead.organisation_id, name=text))
        else:
            ids[kind].append((pk, text))
    by_number = dict((text, pk) for pk, text in ids["p"])
    for phone in phones:
        phone.pk = by_number[phone.e164]
    (activity.pk, _), (event.pk, _) = ids["a"][0], ids["e"][0]
    for obj in (*phones, activity, event):
        obj._state.adding, obj._state.db = False, connection.alias
    for obj in (activity, event):
        post_save.send(
            sender=type(obj),
            instance=obj,
            created=True,
            update_fields=None,
            raw=False,
            using=connection.alias,
        )
    return phones, sorted(tags, key=lambda t: t.name)


def _insert_sql(model, objs) -> tuple[str, list]:
    """The INSERT Django would send for ``objs`` (defaults and pre_save applied), no RETURNING."""
    query = InsertQuery(model)
    query.insert_values([f for f in model._meta.local_concrete_fields if not f.primary_key], objs)
    ((sql, params),) = query.get_compiler(connection=connection).as_sql()
    return sql, list(params)


def _tags_sql(org_id: int, names: list[str]) -> tuple[str, list]:
    q = connection.ops.quote_name
    table, org, name = q(Tag._meta.db_table), q("organisation_id"), q("name")
    rows = ", ".join(["(%s, %s)"] * len(names))
    # DO UPDATE, not DO NOTHING: only then are the tags that exist returned too.
    return (
        f"INSERT INTO {table} ({org}, {name}) VALUES {rows} "  # noqa: S608 - names from the model, values bound
        f"ON CONFLICT ({org}, {name}) DO UPDATE SET {name} = EXCLUDED.{name} RETURNING id, {name}",
        [value for tag in names for value in (org_id, tag)],
    )


def tags_named(org_id: int, names: list[str]) -> list[Tag]:
    """The organisation's tags of these names, sorted, those missing made: one statement."""
    if not names:
        return []
    sql, params = _tags_sql(org_id, names)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        found = cursor.fetchall()
    return sorted((Tag(pk=pk, organisation_id=org_id, name=n) for pk, n in found), key=lambda t: t.name)
