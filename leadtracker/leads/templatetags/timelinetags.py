from django import template

from leadtracker.leads.fields.display import changed_words as words_of_change
from leadtracker.lib.stored_text import english, shown

register = template.Library()

FALLBACK = "leads/timeline/_other.html"


@register.filter
def timeline_template(entry):
    """The templates that may show this timeline entry, for {% include %} to take the first that
    exists: leads/timeline/_<kind>.html, else _other.html (a kind shown by its label). Apps above
    leads may add entries of kinds of their own (automation's "rule") with a template of that name."""
    if entry.kind.isidentifier():
        return [f"leads/timeline/_{entry.kind}.html", FALLBACK]
    return [FALLBACK]


@register.filter
def note_text(entry) -> str:
    """A note's words, its first sentence in the reader's language when the note keeps what it
    said (``data["said"]``, lib/stored_text.py: "Came back through IndiaMART." written by the
    worker); the rest — what the enquirer or the team wrote — as it is. A note without one, or
    whose body no longer starts with that sentence (erased), is shown as stored."""
    said = (entry.data or {}).get("said")
    if not said:
        return entry.body
    words = english(said)
    if not words or not entry.body.startswith(words):
        return entry.body
    return shown(said, words) + entry.body[len(words) :]


@register.filter
def changed_words(entry) -> list[str]:
    """An edit's line: what changed, in the reader's language (fields/display.py)."""
    return words_of_change(entry.data or {})
