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


@register.filter
def duration(seconds):
    """73 -> "1:13"; 3723 -> "1:02:03": how phones show a call's length."""
    if seconds is None or seconds == "":
        return ""
    seconds = int(seconds)
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


@register.filter
def indian(value):
    """12,34,567: numbers grouped the Indian way (lakh, crore)."""
    return "" if value is None or value == "" else indian_grouping(value)
