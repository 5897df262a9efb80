"""{{ said|said_or:words }}: a text stored as what to say (lib/stored_text.py), in the reader's
language; ``words`` (the words kept for the record) when there is none — a row written before.
Here, in leads, for leads' pages (an import's first issues) and those of the apps above it
(integrations: a connector's errors)."""

from django import template

from leadtracker.lib.stored_text import shown

register = template.Library()


@register.filter
def said_or(said, words):
    return shown(said, words or "")
