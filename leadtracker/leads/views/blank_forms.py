"""The lead page's two blank forms (a note; a follow-up) as HTML, rendered once per language in
a process. Unbound, with fixed initial values, each writes the same HTML on every page, and
Django's widget templates cost ~3 ms of the lead page's CPU (issue 21). The markup is the
template's own (the same tags in the same order), so the page reads as before."""

import functools

from django.template import engines
from django.utils import translation
from django.utils.safestring import mark_safe

from leadtracker.leads.forms import FollowUpForm, NoteForm

_MARKUP = {
    "follow_up": (FollowUpForm, "{% for field in form %}<p>{{ field.label_tag }}{{ field }}</p>{% endfor %}"),
    "note": (NoteForm, "<p>{{ form.body.label_tag }}{{ form.body }}</p>"),
}


@functools.lru_cache(maxsize=64)
def _html(kind: str, language: str | None) -> str:
    form_class, markup = _MARKUP[kind]
    return engines["django"].from_string(markup).render({"form": form_class()})


def fields(kind: str):
    """The blank form ``kind`` ("follow_up", "note") as the active language writes it."""
    # Safe: the template engine rendered it, escaping as it does on the page.
    return mark_safe(_html(kind, translation.get_language()))  # noqa: S308  # nosec B308 B703
