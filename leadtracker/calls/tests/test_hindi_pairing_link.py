"""The pairing link (/p/ABCD-EFGH) is read on the telecaller's phone before anyone signs in
(issue 20 §3): it speaks the language of the person whose phone it pairs, whatever the phone's
browser asks for, and so does a link used or expired; a code nobody knows answers in the
browser's language."""

import pytest
from django.test import Client
from django.utils import timezone

from leadtracker.calls.models import PairingCode
from leadtracker.calls.tests.test_pair_link import code_for


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = "https://crm.example.in"


@pytest.mark.parametrize("browser", ["en-IN,en;q=0.9", "hi"])
def test_the_link_is_in_the_telecallers_language(acme, browser):
    acme.alice.user.language = "hi"
    acme.alice.user.save(update_fields=["language"])
    response = Client().get(f"/p/{code_for(acme.alice)}", HTTP_ACCEPT_LANGUAGE=browser)
    page = response.content.decode()
    assert response.status_code == 200 and response["Content-Language"] == "hi" and 'lang="hi"' in page
    for words in ("<h1>यह फ़ोन सेट करें</h1>", "F-Droid से तीन ऐप इंस्टॉल करें", "लाइन कॉपी करें"):
        assert words in page
    assert "एजेंट को कॉल-लॉग पढ़ने देता है" in page  # Termux:API, why it is needed
    assert "Set up this phone" not in page and "Copy the line" not in page


def test_an_english_speakers_link_stays_english_on_a_hindi_phone(acme):
    response = Client().get(f"/p/{code_for(acme.bob)}", HTTP_ACCEPT_LANGUAGE="hi")
    assert "<h1>Set up this phone</h1>" in response.content.decode()


def test_a_link_that_does_not_work_answers_in_the_browsers_language(acme):
    page = Client().get("/p/AAAA-BBBB", HTTP_ACCEPT_LANGUAGE="hi").content.decode()
    assert "यह जोड़ने वाला लिंक नहीं चल रहा" in page and "<strong>नया बनाएँ:</strong>" in page


def test_a_used_link_answers_in_its_telecallers_language(acme):
    acme.alice.user.language = "hi"
    acme.alice.user.save(update_fields=["language"])
    code = code_for(acme.alice)
    PairingCode.objects.update(used_at=timezone.now())
    response = Client().get(f"/p/{code}", HTTP_ACCEPT_LANGUAGE="en-IN")
    assert response.status_code == 404 and response["Content-Language"] == "hi"
    assert "यह पहले ही इस्तेमाल हो चुका है" in response.content.decode()
