from django import template

from leadtracker.leads.consent import RECORDABLE_METHODS, member_consent
from leadtracker.leads.models import FollowUpKind
from leadtracker.lib.phones import display

register = template.Library()


@register.filter
def phone(value):
    """+91 98765 43210"""
    return display(value) if value else ""


@register.filter
def follow_up_kind(value):
    """A follow-up's kind as the timeline stored it ("call") in the reader's words, lower case in
    the middle of a sentence (Devanagari has no case); a kind no longer offered as stored."""
    return str(FollowUpKind(value).label).lower() if value in FollowUpKind.values else value


@register.inclusion_tag("leads/_dnc_flag.html")
def dnc_flag(lead):
    """The do-not-call badge wherever someone might call a lead: {% dnc_flag lead %}. Takes a
    Lead, or a row (dict) with a do_not_call key, as lists built from values() have."""
    value = lead.get("do_not_call") if isinstance(lead, dict) else getattr(lead, "do_not_call", False)
    return {"do_not_call": bool(value)}


@register.simple_tag
def consent_methods():
    """The ways a colleague can record what a person told them."""
    return [(m.value, m.label) for m in RECORDABLE_METHODS]


@register.simple_tag
def member_marketing_consent(membership):
    """A member's current marketing consent, for their profile page."""
    return member_consent(membership) if membership else False
