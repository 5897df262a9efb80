"""Figures as people read them: Indian grouping (12,34,567) for Indian organisations, the
usual thousands grouping elsewhere; talk time as hours and minutes."""

from django import template

from leadtracker.lib.numbers import indian_grouping

register = template.Library()


def is_indian(org) -> bool:
    return getattr(org, "phone_region", "IN") == "IN"


def number(value, org=None) -> str:
    if value is None or value == "":
        return "–"
    value = round(value)
    return indian_grouping(value) if is_indian(org) else f"{value:,}"


def hours_minutes(seconds, org=None) -> str:
    """4521 -> "1h 15m"; under an hour "12m"; hours grouped like any number (1,234h 05m)."""
    if seconds is None or seconds == "":
        return "–"
    minutes = round(seconds) // 60
    hours, minutes = divmod(minutes, 60)
    return f"{number(hours, org)}h {minutes:02d}m" if hours else f"{minutes}m"


def percent(ratio) -> str:
    return "–" if ratio is None else f"{ratio * 100:.0f}%"


register.filter("num", number)
register.filter("hm", hours_minutes)
register.filter("pct", percent)
