"""The Phones page, call outcomes, talk scripts and usage data in Hindi (issue 20 §3): a person
whose language is Hindi reads their headings and buttons in Hindi, with no English heading left."""

import re

import pytest

from leadtracker.calls.tests.test_hindi_pages import hindi_page
from leadtracker.testing import paired_client

HEADINGS = re.compile(r"<h[12][^>]*>(.*?)</h[12]>", re.S)


def headings(page: str) -> list[str]:
    return [re.sub(r"<[^>]+>", "", h).strip() for h in HEADINGS.findall(page)]


def no_english_heading(page: str) -> None:
    english = [h for h in headings(page) if re.search(r"[A-Za-z]{3}", h)]
    assert not english, english


@pytest.mark.django_db
def test_the_phones_page_in_hindi_with_no_phone_and_with_one(acme):
    page = hindi_page(acme.alice, "/devices/")
    assert "अपना फ़ोन जोड़ें" in page and "जोड़ने का कोड बनाएँ" in page
    assert "Pair your phone" not in page
    no_english_heading(page)
    paired_client(acme.alice, name="Redmi")
    page = hindi_page(acme.alice, "/devices/")
    for words in ("आख़िरी सिंक", "कॉल-लॉग", "भेजने को बाकी", "रद्द करें"):
        assert words in page
    assert "Last sync" not in page


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "heading", "button"),
    [
        ("/calls/outcomes/", "कॉल के नतीजे", "नया नतीजा जोड़ें"),
        ("/calls/scripts/", "टॉक स्क्रिप्ट", "सेव करें"),
        ("/calls/usage/", "इस्तेमाल का हिसाब", "ऐप वर्ज़न और सिस्टम के हिसाब से फ़ोन"),
    ],
)
def test_an_admins_calls_settings_in_hindi(acme, path, heading, button):
    page = hindi_page(acme.adam, path)
    assert f"<h1>{heading}</h1>" in page and button in page
    no_english_heading(page)
