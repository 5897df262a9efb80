"""Web capture fills custom fields: a website form's fields.<key> inputs (form-encoded or JSON)
are checked as their types; an unknown key or a bad value is a 422 naming it, nothing stored."""

import pytest
from django.test import Client

from leadtracker.accounts.audit import Actor
from leadtracker.leads.actions.settings import create_source, rotate_capture_key
from leadtracker.leads.fields import actions
from leadtracker.leads.models import Lead


@pytest.fixture
def key(acme):
    actions.create_field(acme.org, label="Budget", type="money", actor=Actor.system())
    actions.create_field(
        acme.org, label="Course", type="choice", choices=["MBA", "BBA"], actor=Actor.system()
    )
    source = create_source(acme.org, "Website", actor=Actor.system())
    return rotate_capture_key(source, actor=Actor.system()).capture_key


def test_a_website_form_fills_custom_fields(acme, key):
    form = {"name": "Kavya", "phone": "98765 43210", "fields.budget": "12 lakh", "fields.course": "mba"}
    response = Client().post(f"/api/v1/capture/{key}", form, HTTP_ACCEPT="text/html")
    assert response.status_code == 201
    assert Lead.objects.get(organisation=acme.org).custom_fields == {"budget": 1200000, "course": "MBA"}


@pytest.mark.parametrize(
    "extra, field", [({"fields.course": "PhD"}, "fields.course"), ({"fields.batch": "2027"}, "fields.batch")]
)
def test_a_bad_custom_value_is_refused(acme, key, extra, field):
    body = {"name": "Kavya", "phone": "98765 43210", **extra}
    response = Client().post(f"/api/v1/capture/{key}", body, content_type="application/json")
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == field
    assert not Lead.objects.exists()
