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
