"""Reads of custom fields: which a person may see, and a lead's values as they may read them."""

from django.db.models import QuerySet

from leadtracker.accounts.models import Membership
from leadtracker.leads.fields.clean import hides_from
from leadtracker.leads.fields.models import CustomField


def all_fields(org_id: int) -> QuerySet:
    """Every field, archived ones too (settings, exports, the access export)."""
    return CustomField.objects.filter(organisation_id=org_id)


def fields_for(viewer: Membership, *, archived: bool = False) -> list[CustomField]:
    """The fields this person works with, in order: hidden ones left out for agents."""
    qs = all_fields(viewer.organisation_id)
    if not archived:
        qs = qs.filter(archived_at__isnull=True)
    if hides_from(viewer):
        qs = qs.filter(hidden_from_agents=False)
    return list(qs)


def get_field(org_id: int, field_id: int) -> CustomField | None:
    return all_fields(org_id).filter(pk=field_id).first()


def hidden_keys(viewer: Membership | None) -> set[str] | None:
    """Keys to leave out of what this person reads (None: nothing to leave out, no query)."""
    if not hides_from(viewer):
        return None
    return set(
        all_fields(viewer.organisation_id).filter(hidden_from_agents=True).values_list("key", flat=True)
    )


def readable(values: dict | None, hidden: set[str] | None) -> dict:
    values = values or {}
    if not hidden:
        return dict(values)
    return {k: v for k, v in values.items() if k not in hidden}


def strip_hidden(viewer: Membership | None, items: list) -> list:
    """API lead items (dicts or LeadOut) without the fields hidden from this person."""
    hidden = hidden_keys(viewer)
    if not hidden:
        return items
    for item in items:
        if isinstance(item, dict):
            item["fields"] = readable(item["fields"], hidden)
        else:
            item.fields = readable(item.fields, hidden)
    return items
