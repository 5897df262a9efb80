"""The API's lead list for its common shapes, by a statement written once per shape (issue 21).

``/api/v1/leads`` is the API's hottest read. Built through the ORM — leads_for, filter_leads,
search, ``.values(...)`` and keyset_sorted's ordering and cursor — its one statement was
compiled again on every request, and building and compiling it cost more CPU than running it.
The common shapes are written here once, with the very SQL the ORM writes for them (the same
WHERE, ORDER BY and LIMIT, so the same plan): the whole organisation (an owner, an admin), an
agent's own leads, a manager's team (their people's and nobody's), each with or without a
status and an owner, sorted by any of the list's own columns, with or without a cursor. Any
other filter (a search, a team, a source, a tag, follow-ups, days, custom fields, unassigned)
or a custom field's sort keeps the ORM's path. test_list_sql holds the two to the same rows and
cursors for every shape, on both databases.
"""

import functools

from django.db import connection
from django.db.models import F

from leadtracker.accounts.models import Membership, User
from leadtracker.accounts.visibility import sees_unowned, visible_user_ids
from leadtracker.leads.models import Lead, LeadSource, LeadStatus
from leadtracker.lib import rows
from leadtracker.lib.pagination import MAX_LIMIT, may_be_null, page_of, read_cursor

# The list (leads/api/leads.py) is the API's hottest read. It reads plain rows (no model
# objects) and writes the JSON itself: building 50 models and letting ninja validate them again
# through its attribute-by-attribute getter cost ~10 ms a page, several times the queries. The
# output is LeadPage exactly (a test compares it with LeadOut.of for the same leads); the OpenAPI
# document still describes it with the declared schema.
LIST_FIELDS = (
    "id",
    "name",
    "company",
    "email",
    "phone",
    "city",
    "address",
    "source_id",
    "status_id",
    "owner_id",
    "value",
    "created_at",
    "updated_at",
    "last_contacted_at",
    "next_follow_up_at",
    "do_not_call",
    "marketing_consent",
    "lost_reason",
    "extra",
    "custom_fields",
)
LIST_RELATED = {
    "source_name": F("source__name"),
    "status_name": F("status__name"),
    "status_kind": F("status__kind"),
}


# What a shape may have besides a status and an owner: any of these set keeps the ORM's path.
_OTHER_FILTERS = ("team", "source", "tag", "follow_up", "created_from", "created_to", "unassigned", "field")


def covers(filters, field: str) -> bool:
    """Whether the list asked with ``filters`` sorted by ``field`` is one of the shapes written
    here (what filter_leads and search would add is a status and an owner at most)."""
    if (filters.q or "").strip() or field not in _SORTABLE:
        return False
    return not any(getattr(filters, name) for name in _OTHER_FILTERS)


_SORTABLE = {"next_follow_up_at", "created_at", "updated_at", "name"}
_BIGINT = (-(2**63), 2**63)


def page(
    viewer: Membership,
    filters,
    *,
    field: str,
    descending: bool,
    cursor: str | None,
    limit: int,
    parse,
    models: bool = False,
):
    """keyset_sorted(filtered(...).values(*columns, **related), ...) for a shape ``covers``
    accepts: the same rows (dicts of the same keys and values) and the same next cursor; None
    for an id no column can hold (the ORM answers those by reading nothing, or less).
    ``models``: the leads as keyset_sorted(....select_related("status", "source", "owner"))
    gives them (the leads page)."""
    limit = max(1, min(limit, MAX_LIMIT))
    after = read_cursor(cursor, parse)
    if not all(
        _BIGINT[0] <= v < _BIGINT[1] for v in (filters.status, filters.owner, after and after[1]) if v
    ):
        return None
    # Who the viewer sees, as accounts/visibility says: the whole organisation (None), their own
    # leads only (an agent), or their people's and nobody's (a manager).
    team = visible_user_ids(viewer)
    mine = team == {viewer.user_id} and not sees_unowned(viewer)
    team = None if mine else team
    params: list = [viewer.organisation_id]
    if mine:
        params.append(viewer.user_id)
    elif team is not None:
        team = sorted(team)
        params.extend([team] if connection.vendor == "postgresql" else team)
    status, owner = filters.status or None, filters.owner or None
    params.extend(v for v in (status, owner) if v)
    if after is not None:
        value, last_id = after
        if value is not None:
            value = Lead._meta.get_field(field).get_db_prep_value(value, connection)
            params.extend([value, value])
        params.append(last_id)
    shape = (
        connection.vendor,
        "mine" if mine else ("team" if team is not None else "all"),
        len(team) if team is not None and connection.vendor != "postgresql" else 0,
        team is not None and sees_unowned(viewer),
        bool(status),
        bool(owner),
        field,
        descending,
        None if after is None else after[0] is None,
        limit + 1,
        models,
    )
    with rows.cursor(connection) as cur:
        cur.execute(_sql(*shape), params)
        found = cur.fetchall()
    return page_of(_leads(found) if models else _dicts(found), field, limit)


_RELATED = ((LeadStatus, "s", "status"), (LeadSource, "c", "source"), (User, "u", "owner"))


def _leads(found: list[tuple]) -> list[Lead]:
    """Leads with their status, source and owner, as select_related makes them (a source or an
    owner that is not there is None)."""
    made = []
    for row in found:
        lead, at = rows.build(Lead, row, 0)
        for model, _alias, name in _RELATED:
            related, at = rows.build(model, row, at)
            if name == "status" or getattr(lead, f"{name}_id") is not None:
                setattr(lead, name, related)
            else:
                setattr(lead, name, None)
        made.append(lead)
    return made


@functools.cache
def _columns(vendor: str) -> tuple[list[str], list[str], list[tuple]]:
    """The keys of a row (LIST_FIELDS, then LIST_RELATED's), their qualified columns, and each
    one's converters on this database (what the ORM applies to the values it reads)."""
    quote = connection.ops.quote_name
    keys, columns, converters = [], [], []
    related = {"source": (LeadSource, "c"), "status": (LeadStatus, "s")}
    wanted = [(key, Lead, "l", key) for key in LIST_FIELDS]
    for key, expression in LIST_RELATED.items():
        relation, name = expression.name.split("__")
        model, alias = related[relation]
        wanted.append((key, model, alias, name))
    for key, model, alias, name in wanted:
        field = model._meta.get_field(name)
        col = field.get_col(alias)
        keys.append(key)
        columns.append(f"{alias}.{quote(field.column)}")
        converters.append((col, connection.ops.get_db_converters(col) + col.get_db_converters(connection)))
    return keys, columns, converters


def _dicts(found: list[tuple]) -> list[dict]:
    keys, _columns_, converters = _columns(connection.vendor)
    # Only the columns with converters are touched (on SQLite the times and JSON, on PostgreSQL
    # the JSON): a loop over every column of every row was a quarter of the list's CPU.
    converted = [(i, col, found_) for i, (col, found_) in enumerate(converters) if found_]
    made = []
    for row in found:
        values = list(row)
        for i, col, convert_all in converted:
            value = values[i]
            for convert in convert_all:
                value = convert(value, col, connection)
            values[i] = value
        made.append(dict(zip(keys, values, strict=True)))
    return made


@functools.cache
def _sql(
    vendor, scope, team_size, with_unowned, status, owner, field, descending, after_null, n, models
) -> str:
    """The statement of one shape: the ORM's for it, word for word where it matters (the
    conditions in its order, NULLS LAST, the id as the tie-break, the LIMIT)."""
    quote = connection.ops.quote_name
    lead, status_table, source_table = (quote(m._meta.db_table) for m in (Lead, LeadStatus, LeadSource))
    if models:
        tables = [(Lead, "l"), *((model, alias) for model, alias, _name in _RELATED)]
        columns = [rows.select_list(model, alias, connection) for model, alias in tables]
    else:
        columns = _columns(vendor)[1]
    where = ["l.organisation_id = %s"]
    if scope == "mine":
        where.append("l.owner_id = %s")
    elif scope == "team":
        ids = "= ANY(%s::bigint[])" if vendor == "postgresql" else f"IN ({', '.join(['%s'] * team_size)})"
        where.append(f"(l.owner_id {ids} OR l.owner_id IS NULL)" if with_unowned else f"l.owner_id {ids}")
    if status:
        where.append("l.status_id = %s")
    if owner:
        where.append("l.owner_id = %s")
    column = f"l.{quote(Lead._meta.get_field(field).column)}"
    beyond = "<" if descending else ">"
    if after_null is True:
        where.append(f"({column} IS NULL AND l.id {beyond} %s)")
    elif after_null is False:
        where.append(f"({column} {beyond} %s OR ({column} = %s AND l.id {beyond} %s) OR {column} IS NULL)")
    way = "DESC" if descending else "ASC"
    nulls = " NULLS LAST" if may_be_null(Lead, field) else ""  # as keyset_sorted orders
    return (
        f"SELECT {', '.join(columns)} FROM {lead} l "  # noqa: S608 - names from the models, values bound
        f"INNER JOIN {status_table} s ON l.status_id = s.id "
        f"LEFT OUTER JOIN {source_table} c ON l.source_id = c.id "
        + (f"LEFT OUTER JOIN {quote(User._meta.db_table)} u ON l.owner_id = u.id " if models else "")
        + f"WHERE {' AND '.join(where)} ORDER BY {column} {way}{nulls}, l.id {way} LIMIT {int(n)}"
    )
