"""What a lead's create consults of its organisation's settings, read in one statement.

A create needs the default open status (when the lead names none) and must know whether the
organisation has custom fields to check, assignment rules to hand the lead out by, and webhook
endpoints to queue a delivery for. Read one by one that is four statements on every create,
though most organisations have no rules and no endpoints; here it is one: the status row with
three EXISTS beside it. What exists is then read by the code that uses it (the fields by
clean_custom_fields, the rules by assign_by_rules, the endpoints by queue_event), so an
organisation that has none pays nothing for them. Read fresh on every create, inside its
transaction: a rule or endpoint saved a moment ago is seen, with no cache to invalidate."""

from dataclasses import dataclass

from django.db.models import Exists

from leadtracker.accounts.models import Organisation
from leadtracker.leads.models import AssignmentRule, CustomField, LeadStatus, StatusKind, WebhookEndpoint


@dataclass(frozen=True)
class CreateContext:
    status: LeadStatus | None  # the default open status; None when not asked for, or there is none
    has_fields: bool
    has_rules: bool
    has_hooks: bool


def create_context(org_id: int, *, need_status: bool) -> CreateContext:
    """One statement (two when the default status is wanted and the organisation has none)."""
    flags = {
        "has_fields": Exists(CustomField.objects.filter(organisation_id=org_id)),
        "has_rules": Exists(AssignmentRule.objects.filter(organisation_id=org_id, is_active=True)),
        "has_hooks": Exists(WebhookEndpoint.objects.filter(organisation_id=org_id, is_active=True)),
    }
    if need_status:
        # default_status()'s query, with the flags beside it.
        status = (
            LeadStatus.objects.filter(organisation_id=org_id, is_active=True, kind=StatusKind.OPEN)
            .annotate(**flags)
            .first()
        )
        if status is not None:
            return CreateContext(status, status.has_fields, status.has_rules, status.has_hooks)
    row = Organisation.objects.filter(pk=org_id).annotate(**flags).values(*flags).get()
    return CreateContext(None, row["has_fields"], row["has_rules"], row["has_hooks"])
