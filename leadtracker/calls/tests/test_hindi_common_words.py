"""Short common words on the calls pages and the dashboard read in our Hindi, not Django's
(issue 20 §3): Django merges every catalogue and its admin's Hindi for "Save", "Filter" or
"From" ("सुरक्षित कीजिये", "छन्नी", "भेजने वाले") wins over an app's, so ours carry a context."""

import pytest
from django.utils import translation

from leadtracker.calls.tests.test_calling_queue import busy_day
from leadtracker.calls.tests.test_hindi_pages import hindi_page


def test_the_merged_catalogue_gives_our_words():
    with translation.override("hi"):
        assert translation.pgettext("a button", "Filter") == "छाँटें"
        assert translation.pgettext("a date range", "From") == "कब से"
        assert translation.pgettext("a call", "Save") == "सेव करें"
        assert translation.pgettext("calls settings", "Save") == "सेव करें"
        assert translation.pgettext("a button", "Call") == "कॉल करें"


@pytest.mark.django_db
def test_the_pages_show_them(acme, phone):
    busy_day(acme, phone)
    queue = hindi_page(acme.alice, "/queue/")
    assert "कॉल करें <span" in queue and "सुरक्षित कीजिये" not in queue
    calls = hindi_page(acme.alice, "/calls/")
    assert "छाँटें</button>" in calls and "छन्नी" not in calls and "कब से" in calls


@pytest.mark.django_db
def test_the_dashboards_range_reads_from_in_our_words(acme):
    dashboard = hindi_page(acme.olga, "/dashboard/?range=today")
    assert "कब से" in dashboard and "भेजने वाले" not in dashboard
