"""Web capture in Hindi (issue 20 §3): a visitor whose browser asks for Hindi is thanked, or told
why their form was not sent, in Hindi; the note left for the team when someone enquires again
reads in the reader's language, whatever the visitor's browser reads (its English is kept)."""

import pytest
from django.test import Client

from leadtracker.accounts.audit import Actor
from leadtracker.accounts.models import Organisation
from leadtracker.leads.actions.settings import create_source, rotate_capture_key
from leadtracker.leads.models import Activity, Lead
from leadtracker.testing import hindi_client


@pytest.fixture
def key(acme):
    source = create_source(acme.org, "Website", actor=Actor.system())
    return rotate_capture_key(source, actor=Actor.system()).capture_key


def test_a_hindi_visitor_is_thanked_and_refused_in_hindi(acme, key):
    visitor = Client(HTTP_ACCEPT_LANGUAGE="hi", HTTP_ACCEPT="text/html")
    sent = visitor.post(f"/api/v1/capture/{key}", {"name": "Kavya", "phone": "98765 43210"})
    assert sent.status_code == 201 and "धन्यवाद, हम आपको जल्दी कॉल करेंगे।" in sent.content.decode()
    refused = visitor.post(f"/api/v1/capture/{key}", {"name": "Kavya", "budget": "50 L"})
    assert refused.status_code == 422 and "budget: अनजान फ़ील्ड" in refused.content.decode()
    unknown = Client(HTTP_ACCEPT_LANGUAGE="hi").post("/api/v1/capture/nope", {"name": "Kavya"})
    assert unknown.json()["detail"] == "यह फ़ॉर्म की (key) पहचानी नहीं गई"


def test_the_note_of_a_returning_enquirer_reads_in_the_readers_language(acme, key):
    Organisation.objects.filter(pk=acme.org.pk).update(language="hi")
    english = Client(HTTP_ACCEPT_LANGUAGE="en")
    for name in ("Kavya", "Kavya R"):
        english.post(f"/api/v1/capture/{key}", {"name": name, "email": "kavya@example.in"})
    lead = Lead.objects.get(organisation=acme.org)
    note = Activity.objects.get(lead=lead, kind="note")
    assert note.body.startswith("Enquired again through Website (")  # the record
    page = hindi_client(acme.olga).get(f"/leads/{lead.pk}/").content.decode()
    assert "Website से फिर पूछताछ की (" in page
