"""Data requests, exports, erasure, legal holds and retention in Hindi (issue 20 §3): an admin
who reads Hindi registers an erasure request, sees it listed and handled, and the holds and
retention pages, in Hindi — the lead's name and what was typed stay as written."""

from html import unescape

from leadtracker.privacy.models import DataRequest
from leadtracker.privacy.tests.requests_util import make_lead
from leadtracker.testing import hindi_client


def _page(response) -> str:
    return " ".join(unescape(response.content.decode()).split())


def test_an_erasure_request_inhindi_client(acme):
    make_lead(acme, phone="+919876543210")
    admin = hindi_client(acme.adam)
    empty = _page(admin.get("/settings/privacy/requests/"))
    assert "<h1>डेटा अनुरोध</h1>" in empty and "अभी कोई डेटा अनुरोध नहीं।" in empty
    form = _page(admin.get("/settings/privacy/requests/new/"))
    assert "<h1>नया डेटा अनुरोध</h1>" in form and ">दर्ज करें</button>" in form and "जवाब 30 दिन बाद तक।" in form
    fields = {"kind": "erasure", "lead_contact": "98765 43210", "requested_by": "Ravi's lawyer"}
    admin.post("/settings/privacy/requests/new/", {**fields, "channel": "letter", "details": "सब मिटा दो"})
    req = DataRequest.objects.get(organisation=acme.org)
    page = _page(admin.get(f"/settings/privacy/requests/{req.pk}/"))
    assert f"<h1>अनुरोध #{req.pk}: मिटाना</h1>" in page
    for words in ("खुला", "निपटाएँ", "पहचान की जाँच", "अभी मिटाएँ…", "एक्सपोर्ट बनाएँ", "Ravi's lawyer"):
        assert words in page
    assert "Handle</h2>" not in page and "Identity check" not in page


def test_holds_and_retention_inhindi_client(acme):
    admin = hindi_client(acme.adam)
    holds = _page(admin.get("/settings/privacy/holds/"))
    assert "<h1>क़ानूनी रोक</h1>" in holds and ">रोक लगाएँ</button>" in holds and "Legal holds" not in holds
    retention = _page(admin.get("/settings/privacy/retention/"))
    assert "कॉल के रिकॉर्ड (दिन)" in retention and ">सेव करें</button>" in retention
    assert "Call records" not in retention
