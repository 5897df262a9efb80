"""My day, the calling queue with its outcome sheet, and the dashboard in Hindi (issue 20 §3):
the words are the catalogues' Hindi, and times and numbers keep their Indian forms."""

import re

import pytest
from django.utils import translation

from leadtracker.calls.tests.test_calling_queue import busy_day
from leadtracker.testing import login_client

CLOCK = re.compile(r"\b\d{1,2}:\d{2} [ap]m\b")


def hindi_page(member, path: str) -> str:
    # The person's own language once accounts have it (H1, issue 20 §3); before that the
    # language active in the test's thread is the page's.
    if any(f.name == "language" for f in member.user._meta.fields):
        member.user.language = "hi"
        member.user.save(update_fields=["language"])
    with translation.override("hi"):
        response = login_client(member).get(path, HTTP_ACCEPT_LANGUAGE="hi")
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.django_db
def test_the_queue_and_its_outcome_sheet_in_hindi(acme, phone):
    busy_day(acme, phone)
    page = hindi_page(acme.alice, "/queue/")
    for words in ("कॉलिंग लिस्ट", "मिस्ड कॉल, वापस करनी है", "कॉल कैसी रही?", "अगला फ़ॉलो-अप — टैप करते ही सेव"):
        assert words in page
    assert "अभी स्किप करें — क्यों?" in page and "अभी मैं बिज़ी हूँ" in page
    assert "<strong>0 / 4</strong> हो गईं" in page
    assert "How did it go?" not in page and "Calling queue" not in page
    assert CLOCK.search(page)  # the missed call's time: "Today, 4:10 pm"


@pytest.mark.django_db
def test_my_day_in_hindi(acme, phone):
    busy_day(acme, phone)
    page = hindi_page(acme.alice, "/my-day/")
    for words in ("आज अब तक", "वापस करने वाली मिस्ड कॉल", "अगले फ़ॉलो-अप", "+ नई लीड", "पंच आउट"):
        assert words in page
    assert "शिफ़्ट पर" in page and CLOCK.search(page)
    assert "Today so far" not in page


@pytest.mark.django_db
def test_the_dashboard_in_hindi(acme, phone):
    busy_day(acme, phone)
    page = hindi_page(acme.olga, "/dashboard/?range=today")
    for words in ("डैशबोर्ड", "बात का टाइम", "लीडरबोर्ड", "घंटे के हिसाब से कॉल", "पूरी कंपनी"):
        assert words in page
    assert "Leaderboard" not in page
