"""A lead's custom values as the lead page shows them: by section, in the fields' order, typed
so the template's format filters (money, numbers, days) can show them."""

import datetime as dt
from decimal import Decimal

from leadtracker.leads.fields.models import CustomField, FieldType


def typed(f: CustomField, value):
    if f.type in (FieldType.NUMBER, FieldType.MONEY):
        return Decimal(str(value))
    if f.type == FieldType.DATE:
        try:
            return dt.date.fromisoformat(value)
        except (TypeError, ValueError):
            return value
    if f.type == FieldType.MULTIPLE_CHOICE and isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return value


def sections(fields: list[CustomField], values: dict, *, filled_only: bool = False) -> list[dict]:
    """[{"name": section, "rows": [{"field", "value"}]}]: every field the person works with,
    the empty ones too (so they see what is still to ask) unless ``filled_only`` (a card)."""
    out: dict[str, list] = {}
    for f in fields:
        value = values.get(f.key)
        if filled_only and value is None:
            continue
        out.setdefault(f.section, []).append(
            {"field": f, "value": None if value is None else typed(f, value)}
        )
    return [{"name": name, "rows": rows} for name, rows in out.items()]


def cell(f: CustomField, value) -> str | int | float:
    """A custom value in an export's cell: numbers stay numbers, days ISO, several choices
    joined, yes/no in words (the import reads each back)."""
    if value is None:
        return ""
    if f.type == FieldType.YES_NO:
        return "yes" if value else "no"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return value


def changed_labels(org_id: int, changed: list[str], old: dict | None, new: dict | None) -> dict:
    """What a timeline line says an edit changed ({"said": [...]}): the built-in fields as
    named, then in place of "custom_fields" the labels of the custom fields whose value
    changed ("Budget", "BHK"), kept as they were then. A field hidden from agents is only
    counted ("1 hidden field"), as agents read the timeline too."""
    old, new = old or {}, new or {}
    keys = {k for k in old.keys() | new.keys() if old.get(k) != new.get(k)}
    fields = list(CustomField.objects.filter(organisation_id=org_id, key__in=keys)) if keys else []
    said = [f for f in changed if f != "custom_fields"]
    said += [f.label for f in fields if not f.hidden_from_agents]
    hidden = sum(1 for f in fields if f.hidden_from_agents)
    if hidden:
        said.append(f"{hidden} hidden field{'s' if hidden > 1 else ''}")
    return {"said": said}
