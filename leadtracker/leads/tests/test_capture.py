"""Web capture: a website form posts a lead; bad input gets a clear 4xx and stores nothing."""

import pytest
from django.test import Client

from leadtracker.accounts.audit import Actor
from leadtracker.leads.actions.settings import create_source, rotate_capture_key
from leadtracker.leads.models import Activity, Lead


@pytest.fixture
def key(acme):
    source = create_source(acme.org, "Website", actor=Actor.system())
    return rotate_capture_key(source, actor=Actor.system()).capture_key


def test_form_post_creates_a_lead(acme, key):
    response = Client().post(
        f"/api/v1/capture/{key}",
        {"name": "Kavya", "phone": "98765 43210", "message": "Call me after 6"},
        HTTP_ACCEPT="text/html",
    )
    assert response.status_code == 201 and "Thank you" in response.content.decode()
    lead = Lead.objects.get(organisation=acme.org)
    assert lead.source.name == "Website" and lead.phone == "+919876543210"
    assert Activity.objects.filter(lead=lead, kind="note", body="Call me after 6").exists()


def test_json_post_and_returning_enquirer(acme, key):
    client = Client()
    first = client.post(
        f"/api/v1/capture/{key}",
        {"name": "Kavya", "email": "kavya@example.in"},
        content_type="application/json",
    )
    assert first.status_code == 201 and first.json() == {"received": True}
    again = client.post(
        f"/api/v1/capture/{key}",
        {"name": "Kavya R", "email": "KAVYA@example.in", "phone": "98765 43210"},
        content_type="application/json",
    )
    assert again.json() == {"received": True}  # the answer does not reveal she was known
    lead = Lead.objects.get(organisation=acme.org)
    # An anonymous form never changes a stored lead: what they sent is a note for a person.
    assert lead.phone == "" and lead.name == "Kavya"
    note = Activity.objects.get(lead=lead, body__startswith="Enquired again")
    assert "98765 43210" in note.body and "Kavya R" in note.body


@pytest.mark.parametrize(
    "body, field",
    [
        ({"name": "X", "phone": "123"}, "phone"),
        ({"name": "X"}, "phone"),
        ({"name": "X", "email": "not-an-email"}, "email"),
        ({"name": "X", "phone": "98765 43210", "recording_url": "http://x"}, "recording_url"),
        ({"name": "X" * 3000, "phone": "98765 43210"}, "name"),
        ({"name": ["a", "b"], "phone": "98765 43210"}, "name"),
    ],
)
def test_bad_input_is_refused_and_nothing_stored(acme, key, body, field):
    response = Client().post(f"/api/v1/capture/{key}", body, content_type="application/json")
    assert 400 <= response.status_code < 500
    assert response.json()["errors"][0]["field"] == field
    assert not Lead.objects.exists()


def test_malformed_json_and_unknown_key(acme, key):
    response = Client().post(f"/api/v1/capture/{key}", "{oops", content_type="application/json")
    assert response.status_code == 400 and not Lead.objects.exists()
    assert Client().post("/api/v1/capture/nope", {"name": "X", "phone": "98765 43210"}).status_code == 404


def test_honeypot_swallows_bots(acme, key):
    response = Client().post(
        f"/api/v1/capture/{key}", {"name": "Bot", "phone": "98765 43210", "website": "http://spam.example"}
    )
    assert response.status_code == 202 and not Lead.objects.exists()


def test_capture_is_throttled_per_address(acme, key, settings):
    settings.API_RATE_ANONYMOUS = "3/m"
    client = Client()
    codes = [
        client.post(
            f"/api/v1/capture/{key}", {"name": f"N{i}", "phone": f"98765 4321{i}"}, REMOTE_ADDR="203.0.113.50"
        ).status_code
        for i in range(4)
    ]
    assert codes == [201, 201, 201, 429]


def test_rotated_key_stops_the_old_one(acme, key):
    source = acme.org.lead_sources.get(name="Website")
    rotate_capture_key(source, actor=Actor.system())
    assert Client().post(f"/api/v1/capture/{key}", {"name": "X", "phone": "98765 43210"}).status_code == 404


def test_capture_can_be_turned_off(acme, key, api_as):
    source = acme.org.lead_sources.get(name="Website")
    response = api_as(acme.olga).delete(f"/api/v1/sources/{source.pk}/capture-key")
    assert response.status_code == 200 and response.json()["capture_key"] == ""
    assert Client().post(f"/api/v1/capture/{key}", {"name": "X", "phone": "98765 43210"}).status_code == 404
