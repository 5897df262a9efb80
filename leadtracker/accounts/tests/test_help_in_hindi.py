"""A person who chose हिन्दी reads the Help page in Hindi: its headings, the role names (the same
words as on the member list), the support form's button and a support request's status."""

import re

from leadtracker.accounts.models import SupportRequest, SupportStatus, User
from leadtracker.testing import html_region

LATIN_WORDS = re.compile(r"[A-Za-z]{3,}")


def _in_hindi(member):
    User.objects.filter(pk=member.user_id).update(language="hi")


def test_help_is_in_hindi_for_a_person_who_chose_it(acme, as_member):
    _in_hindi(acme.alice)
    response = as_member(acme.alice).get("/help/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "<h1>मदद</h1>" in page
    headings = re.findall(r"<h[12][^>]*>\s*(.*?)\s*</h[12]>", page, re.S)
    assert "फ़ोन जोड़ना" in headings and "कौन क्या देखता है" in headings and "मदद माँगें" in headings
    # Nothing of the English is left in a heading but the organisation's own name.
    leftovers = [h for h in headings if LATIN_WORDS.search(h.replace("Acme", ""))]
    assert not leftovers, leftovers
    ask = html_region(response.content, "ask")
    assert ("button", "अनुरोध भेजें") in [(tag, text) for tag, _classes, text in ask.elements]
    roles = html_region(response.content, "roles").text
    assert "एजेंट" in roles and "मैनेजर" in roles and "एडमिन और मालिक" in roles
    assert "Acme में आप एजेंट हैं।" in roles


def test_a_support_requests_status_reads_in_hindi(acme, as_member):
    _in_hindi(acme.alice)
    SupportRequest.objects.create(
        organisation=acme.org,
        requester_id=acme.alice.user_id,
        subject="Phone not syncing",
        message="Since Monday",
        status=SupportStatus.ANSWERED,
        answer="Restart Termux",
    )
    page = as_member(acme.alice).get("/help/").content.decode()
    assert ">जवाब मिला</span>" in page and "जवाब:" in page
    assert "Answered" not in page
