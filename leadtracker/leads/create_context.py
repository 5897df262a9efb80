"""What a lead's create consults of its organisation's settings, read in one statement.

A create needs the default open status (when the lead names none) and must know whether the
organisation has custom fields to check, assignment rules to hand the lead out by, and webhook
endpoints to queue a delivery for. Read one by one that is four statements on every create,
though most organisations have no rules and no endpoints; here it is one: the status row with
three EXISTS beside it. What exists is then read by the code that uses it (the fields by
clean_custom_fields, the rules by assign_by_rules, the endpoints by queue_event), so an
organisation that has none pays nothing for them. Read fresh on every create, inside its
transaction: a rule or endpoint saved a moment ago is seen, with no cache to invalidate.

A higher app asks its own question of a create in the same statement by adding it to QUESTIONS
(in its AppConfig.ready(), as automation does: are there rules for a created lead?); the answers
reach it as `known` with the lead_changed signal, so it need not ask again."""

import functools
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Exists

from leadtracker.accounts.models import Organisation
from leadtracker.leads.models import AssignmentRule, CustomField, LeadStatus, StatusKind, WebhookEndpoint
from leadtracker.lib import rows

# name -> a function of the organisation's id giving an Exists: higher apps' questions.
QUESTIONS: dict[str, Callable[[int], Exists]] = {}

# The organisation's id while the statement is compiled, replaced by the real one on each run.
_SOME_ORG = -7_654_321_987


@dataclass(frozen=True)
class CreateContext:
    status: LeadStatus | None  # the default open status; None when not asked for, or there is none
    has_fields: bool
    has_rules: bool
    has_hooks: bool
    known: dict[str, bool] = field(default_factory=dict)  # QUESTIONS' answers, by name


def create_context(org_id: int, *, need_status: bool) -> CreateContext:
    """One statement: the flags, and the organisation's first open status when wanted (NULLs
    when it has none). Written once per shape and database (_statement) — prepared on
    PostgreSQL, its only value the organisation's id — because building and compiling the four
    EXISTS as a queryset on every create cost more CPU than running them."""
    sql, params, names = _statement(connection.vendor, tuple(QUESTIONS), need_status)
    with rows.cursor(connection) as cursor:
        cursor.execute(sql, [org_id if p == _SOME_ORG else p for p in params])
        row = cursor.fetchone()
    if row is None:
        raise Organisation.DoesNotExist(org_id)
    flags = {name: bool(value) for name, value in zip(names, row, strict=False)}
    status = None
    if need_status and row[len(names)] is not None:
        status, _end = rows.build(LeadStatus, row, len(names))
    known = {name: flags[f"q_{name}"] for name in QUESTIONS}
    return CreateContext(status, flags["has_fields"], flags["has_rules"], flags["has_hooks"], known)


def _flags(org_id: int) -> dict[str, Exists]:
    return {
        "has_fields": Exists(CustomField.objects.filter(organisation_id=org_id)),
        "has_rules": Exists(AssignmentRule.objects.filter(organisation_id=org_id, is_active=True)),
        "has_hooks": Exists(WebhookEndpoint.objects.filter(organisation_id=org_id, is_active=True)),
        **{f"q_{name}": QUESTIONS[name](org_id) for name in QUESTIONS},
    }


@functools.cache
def _statement(vendor: str, questions: tuple[str, ...], need_status: bool) -> tuple[str, list, list[str]]:
    """The flags as the ORM compiles them (higher apps' questions among them), then the
    default status's columns (default_status()'s row: active, open, first by position and id)."""
    flags = _flags(_SOME_ORG)
    query = Organisation.objects.filter(pk=_SOME_ORG).annotate(**flags).values(*flags).query
    flags_sql, flags_params = query.get_compiler(connection=connection).as_sql()
    if not need_status:
        return flags_sql, list(flags_params), list(flags)
    table = connection.ops.quote_name(LeadStatus._meta.db_table)
    sql = (
        f"SELECT f.*, {rows.select_list(LeadStatus, 's', connection)} FROM ({flags_sql}) f "  # noqa: S608 - names from the models, values bound
        f"LEFT JOIN {table} s ON s.id = (SELECT d.id FROM {table} d WHERE d.organisation_id = %s "
        "AND d.is_active = %s AND d.kind = %s ORDER BY d.position, d.id LIMIT 1)"
    )
    return sql, [*flags_params, _SOME_ORG, True, str(StatusKind.OPEN)], list(flags)
