"""The lead page's reads in two statements (issue 21), where the ORM took five: one lead's
numbers, tags, open follow-ups (with their assignee) and consent events (with who recorded them)
in one UNION ALL; the organisation's active statuses and message templates in another.

Written by hand, once per database (lib/rows.py says why: compiling a queryset costs more CPU
than running it). Each branch fills its own models' columns and leaves the others NULL — typed,
since PostgreSQL types a UNION's columns pair by pair — and numbers its rows in its own order
(ROW_NUMBER), so that the whole is sorted by branch and that number, each list in the order the
ORM's reads gave it: the numbers by position, the tags by name (the database's collation), the
follow-ups by when they are due, the consent events newest first (the latest CONSENTS_SHOWN)."""

import functools
from dataclasses import dataclass

from django.db import connection

from leadtracker.accounts.models import User
from leadtracker.leads.models import (
    Activity,
    ConsentEvent,
    FollowUp,
    LeadPhone,
    LeadStatus,
    LeadTag,
    MessageTemplate,
    Tag,
)
from leadtracker.leads.timeline import BRANCHES, Branch
from leadtracker.lib import rows

CONSENTS_SHOWN = 50

# The models whose columns a row of the lead's statement has, in this order; User is the
# follow-up's assignee or the consent event's recorder.
_LEAD_SLOTS = (LeadPhone, Tag, FollowUp, ConsentEvent, User)
_ORG_SLOTS = (LeadStatus, MessageTemplate)


@dataclass
class LeadRows:
    phones: list
    tags: list
    open_follow_ups: list
    consents: list


def _columns(slots, own: dict) -> str:
    """Every slot's columns: a model of ``own`` read from its alias, the others typed NULLs."""
    out = []
    for model in slots:
        if model in own:
            out.append(rows.select_list(model, own[model], connection))
        else:
            out.append(
                ", ".join(f"CAST(NULL AS {f.db_type(connection)})" for f in model._meta.concrete_fields)
            )
    return ", ".join(out)


def _select(branch: int, order: str, columns: str, source: str) -> str:
    """One branch: its number, its rows' number in ``order``, its columns, from ``source``."""
    return f"SELECT {branch}, ROW_NUMBER() OVER (ORDER BY {order}), {columns} FROM {source}"  # noqa: S608 - names from the models, values bound


def _table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _col(model, name: str) -> str:
    return connection.ops.quote_name(model._meta.get_field(name).column)


def _latest_consents() -> str:
    lead = _col(ConsentEvent, "lead")
    return (
        f"SELECT id FROM {_table(ConsentEvent)} WHERE {lead} = %s "  # noqa: S608 - names from the models, values bound
        f"ORDER BY occurred_at DESC, id DESC LIMIT {CONSENTS_SHOWN}"
    )


@functools.cache
def _lead_sql(vendor: str) -> str:
    user = _table(User)
    branches = [
        (
            LeadPhone,
            {LeadPhone: "p"},
            f"{_table(LeadPhone)} p WHERE p.{_col(LeadPhone, 'lead')} = %s",
            "p.position, p.id",
        ),
        (
            Tag,
            {Tag: "t"},
            f"{_table(LeadTag)} lt JOIN {_table(Tag)} t ON t.id = lt.{_col(LeadTag, 'tag')} "
            f"WHERE lt.{_col(LeadTag, 'lead')} = %s",
            "t.name, t.id",
        ),
        (
            FollowUp,
            {FollowUp: "f", User: "u"},
            f"{_table(FollowUp)} f LEFT JOIN {user} u ON u.id = f.{_col(FollowUp, 'assignee')} "
            f"WHERE f.{_col(FollowUp, 'lead')} = %s AND f.done_at IS NULL AND f.cancelled_at IS NULL",
            "f.due_at, f.id",
        ),
        (
            ConsentEvent,
            {ConsentEvent: "e", User: "u"},
            f"{_table(ConsentEvent)} e LEFT JOIN {user} u ON u.id = e.{_col(ConsentEvent, 'recorded_by')} "
            f"WHERE e.id IN ({_latest_consents()})",
            "e.occurred_at DESC, e.id DESC",
        ),
    ]
    selects = [
        _select(_LEAD_SLOTS.index(model), order, _columns(_LEAD_SLOTS, own), source)
        for model, own, source, order in branches
    ]
    return " UNION ALL ".join(selects) + " ORDER BY 1, 2"


def _offsets(slots) -> list[int]:
    """Where each slot's columns start in a row (after the branch and its row number)."""
    starts, at = [], 2
    for model in slots:
        starts.append(at)
        at += len(model._meta.concrete_fields)
    return starts


def lead_rows(lead) -> LeadRows:
    """``lead``'s numbers, tags, open follow-ups (``assignee`` loaded) and latest consent events
    (``recorded_by`` loaded), as the ORM's reads of them give them, in one statement."""
    with connection.cursor() as cursor:
        cursor.execute(_lead_sql(connection.vendor), [lead.pk] * 4)
        found = cursor.fetchall()
    starts = _offsets(_LEAD_SLOTS)
    made = ([], [], [], [])
    person = {
        FollowUp: FollowUp._meta.get_field("assignee"),
        ConsentEvent: ConsentEvent._meta.get_field("recorded_by"),
    }
    for row in found:
        i = row[0]
        model = _LEAD_SLOTS[i]
        obj = rows.build(model, row, starts[i])[0]
        if model in person:
            user_at = starts[-1]
            user = rows.build(User, row, user_at)[0] if row[user_at] is not None else None
            person[model].set_cached_value(obj, user)
        made[i].append(obj)
    return LeadRows(*made)


@functools.cache
def _org_sql(vendor: str) -> str:
    by_position = "x.position, x.id"
    statuses = _select(
        0,
        by_position,
        _columns(_ORG_SLOTS, {LeadStatus: "x"}),
        f"{_table(LeadStatus)} x WHERE x.organisation_id = %s AND x.is_active = %s",
    )
    templates = _select(
        1,
        by_position,
        _columns(_ORG_SLOTS, {MessageTemplate: "x"}),
        f"{_table(MessageTemplate)} x WHERE x.organisation_id = %s",
    )
    return f"{statuses} UNION ALL {templates} ORDER BY 1, 2"


def statuses_and_templates(org_id: int) -> tuple[list, list]:
    """The organisation's active statuses (selectors.statuses) and its message templates
    (selectors.message_templates), each in its order, in one statement."""
    with connection.cursor() as cursor:
        cursor.execute(_org_sql(connection.vendor), [org_id, True, org_id])
        found = cursor.fetchall()
    starts = _offsets(_ORG_SLOTS)
    made = ([], [])
    for row in found:
        made[row[0]].append(rows.build(_ORG_SLOTS[row[0]], row, starts[row[0]])[0])
    return made


# The lead's timeline (the lead page's and the API's): the lead's newest activities and the
# newest entries of each app registered in timeline.BRANCHES (calls, the rules that ran), the
# last 200 of them all.
TIMELINE_SHOWN = 200
_ACTIVITIES = Branch(
    Activity,
    order=(("at", True), ("id", True)),
    related=("actor", "follow_up"),
    entries=lambda lead, found: found,
)


@functools.cache
def _timeline(vendor: str, n_branches: int) -> tuple[str, list, tuple]:
    """The statement, its branches and its slots (every branch's models, each once). Made on the
    first lead page, after the apps registered their branches (``n_branches`` in the key all
    the same, should one come later)."""
    quote = connection.ops.quote_name
    branches = [_ACTIVITIES, *BRANCHES]
    slots = []
    for b in branches:
        for model in (b.model, *(b.model._meta.get_field(name).related_model for name in b.related)):
            if model not in slots:
                slots.append(model)
    selects = []
    for i, b in enumerate(branches):
        meta, own, joins = b.model._meta, {b.model: "x"}, []
        for j, name in enumerate(b.related):
            fk = meta.get_field(name)
            own[fk.related_model] = f"r{j}"
            joins.append(
                f"LEFT JOIN {_table(fk.related_model)} r{j} "
                f"ON r{j}.{quote(fk.target_field.column)} = x.{quote(fk.column)}"
            )
        order = [(quote(meta.get_field(name).column), " DESC" if desc else "") for name, desc in b.order]
        pk = quote(meta.pk.column)
        newest = (
            f"SELECT {pk} FROM {_table(b.model)} WHERE {_col(b.model, 'lead')} = %s "  # noqa: S608 - names from the models, values bound
            f"ORDER BY {', '.join(c + d for c, d in order)} LIMIT {TIMELINE_SHOWN}"
        )
        source = f"{_table(b.model)} x {' '.join(joins)} WHERE x.{pk} IN ({newest})"
        selects.append(_select(i, ", ".join(f"x.{c}{d}" for c, d in order), _columns(slots, own), source))
    return " UNION ALL ".join(selects) + " ORDER BY 1, 2", branches, tuple(slots)


def timeline(lead) -> list:
    """The lead's newest TIMELINE_SHOWN entries in one statement (the lead page's and the API's):
    each branch's newest, merged newest first; on the same moment an activity before a call, a
    call before a rule's run."""
    sql, branches, slots = _timeline(connection.vendor, len(BRANCHES))
    with connection.cursor() as cursor:
        cursor.execute(sql, [lead.pk] * len(branches))
        found = cursor.fetchall()
    starts = dict(zip(slots, _offsets(slots), strict=True))
    made = [[] for _ in branches]
    for row in found:
        b = branches[row[0]]
        obj = rows.build(b.model, row, starts[b.model])[0]
        for name in b.related:
            fk = b.model._meta.get_field(name)
            at = starts[fk.related_model]
            pk_at = at + fk.related_model._meta.concrete_fields.index(fk.related_model._meta.pk)
            fk.set_cached_value(
                obj, rows.build(fk.related_model, row, at)[0] if row[pk_at] is not None else None
            )
        made[row[0]].append(obj)
    entries = []
    for b, objs in zip(branches, made, strict=True):
        entries += b.entries(lead, objs)
    entries.sort(key=lambda a: a.at, reverse=True)
    return entries[:TIMELINE_SHOWN]
