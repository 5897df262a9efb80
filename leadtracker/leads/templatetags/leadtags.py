from django import template

from leadtracker.lib.numbers import indian_grouping
from leadtracker.lib.phones import display

register = template.Library()


@register.filter
def phone(value):
    """+91 98765 43210"""
    return display(value) if value else ""


@register.filter
def money(value, currency="INR"):
    """₹12,34,567 for INR (lakh grouping); other currencies keep their code."""
    if value is None or value == "":
        return ""
    if currency == "INR":
        return "₹" + indian_grouping(value)
    return f"{currency} {value:,.0f}"
