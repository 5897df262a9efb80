"""Custom fields in a CSV/XLSX import: a column maps onto ``fields.<key>``; each cell is checked
as the field's type, and a choice field's values may be mapped onto its choices as a status
column's are onto statuses (``value_mapping["fields"][key] = {value in the file: choice}``).
A cell that cannot be taken is a warning and left empty: a row with a usable contact is always
a lead (docs/importing.md)."""

from django.utils.translation import gettext as _

from leadtracker.leads.fields.models import CHOICE_TYPES, CustomField, FieldType
from leadtracker.leads.fields.values import clean_value
from leadtracker.lib.errors import ActionError

PREFIX = "fields."


def targets(org_id: int) -> dict[str, CustomField]:
    """{"fields.<key>": field} for the organisation's fields a column may fill (not archived)."""
    qs = CustomField.objects.filter(organisation_id=org_id, archived_at__isnull=True)
    return {PREFIX + f.key: f for f in qs}


def labels(org_id: int) -> dict[str, str]:
    """The mapping's choices, as the import page shows them beside the built-in fields."""
    return {target: _("%s (custom field)") % f.label for target, f in targets(org_id).items()}


def header_guesses(org_id: int, normalise_header) -> dict[str, str]:
    """A column headed with a field's label or key maps onto it by itself (an export's column
    is the key)."""
    out = {}
    for target, f in targets(org_id).items():
        out[normalise_header(f.label)] = target
        out[normalise_header(f.key)] = target
    return out


def clean_choice_mapping(org_id: int, raw: dict | None, normalise) -> dict:
    """The person's {key: {value: choice}} checked: each choice one of the field's."""
    fields = {f.key: f for f in targets(org_id).values() if f.type in CHOICE_TYPES}
    out = {}
    for key, values in (raw or {}).items():
        field = fields.get(key)
        if field is None or not isinstance(values, dict):
            raise ActionError(_("no choice field %r") % key, field=f"value_mapping.fields.{key}")
        by_lower = {c.lower(): c for c in field.choices}
        for value, choice in values.items():
            if choice in (None, ""):
                continue
            if str(choice).lower() not in by_lower:
                raise ActionError(
                    _("%(value)r is not one of %(choices)s")
                    % {"value": choice, "choices": ", ".join(field.choices)},
                    field=f"value_mapping.fields.{key}.{value}",
                )
            out.setdefault(key, {})[normalise(value)] = by_lower[str(choice).lower()]
    return out


def cell_value(field: CustomField, text: str, region: str, chosen: dict, normalise):
    """(value, warning): the stored form of a cell, or None and why it was left empty."""
    if field.type in CHOICE_TYPES and chosen:
        parts = text.split(",") if field.type == FieldType.MULTIPLE_CHOICE else [text]
        mapped = [chosen.get(normalise(p), p) for p in parts if p.strip()]
        text = ",".join(mapped) if field.type == FieldType.MULTIPLE_CHOICE else mapped[0]
    try:
        return clean_value(field, text, region), None
    except ActionError as exc:
        return None, _("%s; left empty") % exc.message
