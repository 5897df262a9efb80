"""A lead's custom values as the lead page shows them: by section, in the fields' order, typed
so the template's format filters (money, numbers, days) can show them."""

import datetime as dt
import re
from decimal import Decimal

from django.utils.translation import ngettext, pgettext_lazy

from leadtracker.leads.fields.models import CustomField, FieldType

# The built-in details an edit's timeline line names by their stored names (Activity.data
# "fields"), in the reader's words; the English is the name the line always showed, spaced.
DETAIL_WORDS = {
    "name": pgettext_lazy("a lead's detail that changed", "name"),
    "company": pgettext_lazy("a lead's detail that changed", "company"),
    "email": pgettext_lazy("a lead's detail that changed", "email"),
    "city": pgettext_lazy("a lead's detail that changed", "city"),
    "address": pgettext_lazy("a lead's detail that changed", "address"),
    "source": pgettext_lazy("a lead's detail that changed", "source"),
    "value": pgettext_lazy("a lead's detail that changed", "value"),
    "do_not_call": pgettext_lazy("a lead's detail that changed", "do not call"),
    "marketing_consent": pgettext_lazy("a lead's detail that changed", "marketing consent"),
    "lost_reason": pgettext_lazy("a lead's detail that changed", "lost reason"),
    "phones": pgettext_lazy("a lead's detail that changed", "phone numbers"),
    "custom_fields": pgettext_lazy("a lead's detail that changed", "custom fields"),
}
# How changed_labels stores the count of hidden fields (English, in every line written so far);
# changed_words says it again in the reader's language.
_HIDDEN = re.compile(r"(\d+) hidden fields?")


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
        said.append(("%d hidden field" if hidden == 1 else "%d hidden fields") % hidden)  # stored form
    return {"said": said}


def changed_words(data: dict) -> list[str]:
    """What an edit's timeline line says changed, in the reader's language: a built-in detail
    by its words, the count of hidden fields as a sentence; a custom field's label as written."""
    words = []
    for item in data.get("said") or data.get("fields") or []:
        if item in DETAIL_WORDS:
            words.append(str(DETAIL_WORDS[item]))
        elif hidden := _HIDDEN.fullmatch(str(item)):
            n = int(hidden[1])
            words.append(ngettext("%(n)s hidden field", "%(n)s hidden fields", n) % {"n": n})
        else:
            words.append(str(item))
    return words
