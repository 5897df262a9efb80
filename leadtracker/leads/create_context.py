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

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import Exists

from leadtracker.accounts.models import Organisation
from leadtracker.leads.models import AssignmentRule, CustomField, LeadStatus, StatusKind, WebhookEndpoint

# name -> a function of the organisation's id giving an Exists: higher apps' questions.
QUESTIONS: dict[str, Callable[[int], Exists]] = {}


@dataclass(frozen=True)
class CreateContext:
    status: LeadStatus | None  # the default open status; None when not asked for, or there is none
    has_fields: bool
    has_rules: bool
    has_hooks: bool
    known: dict[str, bool] = field(default_factory=dict)  # QUESTIONS' answers, by name


def create_context(org_id: int, *, need_status: bool) -> CreateContext:
    """One statement (two when the default status is wanted and the organisation has none)."""
    flags = {
        "has_fields": Exists(CustomField.objects.filter(organisation_id=org_id)),
        "has_rules": Exists(AssignmentRule.objects.filter(organisation_id=org_id, is_active=True)),
        "has_hooks": Exists(WebhookEndpoint.objects.filter(organisation_id=org_id, is_active=True)),
        **{f"q_{name}": ask(org_id) for name, ask in QUESTIONS.items()},
    }
    if need_status:
        # default_status()'s query, with the flags beside it.
        status = (
            LeadStatus.objects.filter(organisation_id=org_id, is_active=True, kind=StatusKind.OPEN)
            .annotate(**flags)
            .first()
        )
        if status is not None:
            return _context(status, vars(status))
    return _context(None, Organisation.objects.filter(pk=org_id).annotate(**flags).values(*flags).get())


def _context(status: LeadStatus | None, row: dict) -> CreateContext:
    known = {name: row[f"q_{name}"] for name in QUESTIONS}
    return CreateContext(status, row["has_fields"], row["has_rules"], row["has_hooks"], known)
