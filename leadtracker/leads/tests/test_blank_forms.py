"""Issue 21: the lead page's blank note and follow-up forms are rendered once per language
(leads/views/blank_forms.py) — the same HTML as the form rendered on each page, in each
language, and the page still carries them."""

import pytest
from django.template import engines
from django.utils import translation

from leadtracker.leads.forms import FollowUpForm, NoteForm
from leadtracker.leads.views import blank_forms

AS_THE_PAGE_DID = {
    "follow_up": (FollowUpForm, "{% for field in f %}<p>{{ field.label_tag }}{{ field }}</p>{% endfor %}"),
    "note": (NoteForm, "<p>{{ f.body.label_tag }}{{ f.body }}</p>"),
}


@pytest.mark.parametrize("language", ["en", "hi"])
@pytest.mark.parametrize("kind", ["follow_up", "note"])
def test_the_same_html_as_a_fresh_form(kind, language):
    form_class, markup = AS_THE_PAGE_DID[kind]
    with translation.override(language):
        fresh = engines["django"].from_string(markup).render({"f": form_class()})
        assert str(blank_forms.fields(kind)) == fresh
        assert str(blank_forms.fields(kind)) == fresh  # and again, from the process's copy


def test_the_lead_page_carries_both_forms_in_the_persons_language(acme, new_lead, as_member):
    lead = new_lead(acme, name="Raj", phones=["98765 43210"], by=acme.olga)
    page = as_member(acme.olga).get(f"/leads/{lead.pk}/").content.decode()
    for name in ('name="body"', 'name="due_at"', 'name="kind"', 'name="remind_minutes_before"'):
        assert name in page
    with translation.override("hi"):
        hindi = str(blank_forms.fields("follow_up"))
    with translation.override("en"):
        assert str(blank_forms.fields("follow_up")) != hindi
