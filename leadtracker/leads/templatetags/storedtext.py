"""{{ said|said_or:words }}: a text stored as what to say (lib/stored_text.py), in the reader's
language; ``words`` (the words kept for the record) when there is none — a row written before.
Here, in leads, for leads' pages (an import's first issues) and those of the apps above it
(integrations: a connector's errors)."""

from django import template

from leadtracker.leads.consent import SYSTEM_NOTES
from leadtracker.lib.stored_text import reread, shown

register = template.Library()


@register.filter
def said_or(said, words):
    return shown(said, words or "")


@register.filter
def consent_note(note: str) -> str:
    """A consent event's note: the system's own (leads/consent.SYSTEM_NOTES) in the reader's
    language, a person's as they wrote it."""
    return reread(note, SYSTEM_NOTES)
