"""A lead's custom value in a list cell, formatted by its field's type through lib/formats."""

from django import template

from leadtracker.leads.fields import display
from leadtracker.leads.fields.models import FieldType
from leadtracker.lib import formats

register = template.Library()


@register.filter
def custom_value(lead, field) -> str:
    value = (lead.custom_fields or {}).get(field.key)
    if value is None:
        return "—"
    typed = display.typed(field, value)
    if field.type == FieldType.MONEY:
        return formats.inr(typed)
    if field.type == FieldType.NUMBER:
        return formats.num(typed, 2) if typed != typed.to_integral_value() else formats.num(typed)
    if field.type == FieldType.DATE:
        return formats.day(typed)
    if field.type == FieldType.YES_NO:
        return "Yes" if value else "No"
    return str(typed)
