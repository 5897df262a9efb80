from django import template

from leadtracker.leads.consent import RECORDABLE_METHODS, lead_history, member_consent
from leadtracker.lib.money import short_money
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
def money_short(value, currency="INR"):
    """A total at a glance: ₹45,000, ₹45 L, ₹1.2 Cr (other currencies: USD 1.2M)."""
    return short_money(value, currency or "INR")


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


@register.inclusion_tag("leads/_dnc_flag.html")
def dnc_flag(lead):
    """The do-not-call badge wherever someone might call a lead: {% dnc_flag lead %}. Takes a
    Lead, or a row (dict) with a do_not_call key, as lists built from values() have."""
    value = lead.get("do_not_call") if isinstance(lead, dict) else getattr(lead, "do_not_call", False)
    return {"do_not_call": bool(value)}


@register.simple_tag
def consent_history(lead, limit=50):
    """A lead's consent events, newest first, for its page: {% consent_history lead as events %}."""
    return list(lead_history(lead)[:limit])


@register.simple_tag
def consent_methods():
    """The ways a colleague can record what a person told them."""
    return [(m.value, m.label) for m in RECORDABLE_METHODS]


@register.simple_tag
def member_marketing_consent(membership):
    """A member's current marketing consent, for their profile page."""
    return member_consent(membership) if membership else False
