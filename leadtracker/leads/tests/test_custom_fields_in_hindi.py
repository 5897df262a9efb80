"""Custom fields in Hindi (issue 20 §3): the fields' settings page names its inputs and types in
Hindi and words its refusals in Hindi; a bad value says why in the person's language, on the
form and in the API's 422 (still naming fields.<key>); the list's filter chips too."""

from django.urls import reverse

from leadtracker.accounts.audit import Actor
from leadtracker.accounts.models import User
from leadtracker.leads.fields import actions


def _hindi(*members):
    User.objects.filter(pk__in=[m.user_id for m in members]).update(language="hi")


def test_the_fields_settings_page_and_its_refusals_are_in_hindi(acme, as_member):
    _hindi(acme.adam)
    client = as_member(acme.adam)
    page = client.get(reverse("field_settings")).content.decode()
    for hindi in ("विकल्प:</label>", "रक़म (₹)", "एक विकल्प", "एजेंटों से छिपा", "हर लाइन में एक विकल्प"):
        assert hindi in page, hindi
    for english in ("Choices:", "Money (₹)", "Single choice", "Hidden from agents", "one choice a line"):
        assert english not in page, english
    refused = client.post(reverse("field_add"), {"label": "Course", "type": "choice"}, follow=True)
    assert "कम से कम एक विकल्प लिखें, हर लाइन में एक।" in refused.content.decode()


def test_a_bad_value_is_refused_in_hindi_on_the_api(acme, api_as):
    actions.create_field(acme.org, label="Budget", type="money", actor=Actor.system())
    _hindi(acme.olga)
    answer = api_as(acme.olga).post(
        "/api/v1/leads",
        {"name": "Raj", "phones": ["98765 43210"], "fields": {"budget": "lots"}},
        content_type="application/json",
    )
    assert answer.status_code == 422
    assert answer.json()["errors"] == [{"field": "fields.budget", "message": "'lots' रक़म नहीं है"}]


def test_the_list_filter_chips_are_in_hindi(acme, as_member):
    actions.create_field(acme.org, label="Budget", type="money", actor=Actor.system())
    _hindi(acme.olga)
    page = (
        as_member(acme.olga).get("/leads/", {"cf_budget_from": "40L", "cf_budget_to": "60L"}).content.decode()
    )
    assert "Budget 40L से 60L तक" in page
    assert "Budget from 40L" not in page
