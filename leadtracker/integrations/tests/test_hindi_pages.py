"""Integrations in Hindi (issue 20 §3): an admin who reads Hindi sees the list, a connector's
page with its health and payload log, and a refusal in Hindi; the providers' own names
(Facebook Lead Ads, IndiaMART) stay as they are, being names, and so do the sources they make."""

from html import unescape

from leadtracker.integrations.actions import receive_payload
from leadtracker.integrations.models import Connector
from leadtracker.integrations.tests.util import work_off
from leadtracker.leads.models import LeadSource
from leadtracker.testing import login_client


def _hindi(member):
    member.user.language = "hi"
    member.user.save(update_fields=["language"])
    return login_client(member)


def _page(response) -> str:
    return " ".join(unescape(response.content.decode()).split())


def test_the_integrations_pages_in_hindi(acme):
    admin = _hindi(acme.adam)
    listing = _page(admin.get("/settings/integrations/"))
    assert "<h1>इंटीग्रेशन</h1>" in listing and "इंटीग्रेशन जोड़ें" in listing
    assert "Facebook Lead Ads" in listing and "IndiaMART" in listing
    assert "Add an integration" not in listing and "<h1>Integrations</h1>" not in listing
    admin.post("/settings/integrations/add/google-ads/", {"name": "Google"})
    connector = Connector.objects.get(organisation=acme.org)
    receive_payload(connector, "bad-1", {"lead_id": "bad-1"})
    work_off()
    page = _page(admin.get(f"/settings/integrations/{connector.pk}/"))
    for words in ("हालत", "आख़िरी गड़बड़ी", "दोबारा चलाएँ", "यह इंटीग्रेशन हटाएँ", ">सेव करें</button>"):
        assert words in page
    assert "Health</h2>" not in page and "Remove this integration" not in page


def test_a_refusal_in_hindi_and_a_source_named_as_the_provider(acme):
    admin = _hindi(acme.adam)
    refused = _page(admin.post("/settings/integrations/add/facebook/", {"name": "", "page_token": "p"}))
    assert "Facebook Lead Ads के लिए ज़रूरी" in refused
    admin.post("/settings/integrations/add/indiamart/", {"name": ""})
    assert Connector.objects.get(organisation=acme.org).name == "IndiaMART"
    assert LeadSource.objects.filter(organisation=acme.org, name="IndiaMART").exists()
