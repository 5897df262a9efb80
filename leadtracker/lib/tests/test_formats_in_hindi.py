"""In Hindi the formats' words are Hindi — "आज", "बीता कल", "8 घं 04 मि", "3 दिन, 2 घंटे" — while
the figures stay as Indian readers write them (en_IN months, lakh grouping, am/pm)."""

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.template import Context, Template
from django.utils import timezone, translation

from leadtracker.lib import formats
from leadtracker.testing import clocks, start_test_clock

IST = ZoneInfo("Asia/Kolkata")


@pytest.fixture(autouse=True)
def _in_india_in_hindi():
    with timezone.override(IST), translation.override("hi"):
        yield


def at(text):
    return dt.datetime.fromisoformat(text)


@clocks("sunday")
def test_when_says_today_yesterday_and_tomorrow_in_hindi(frozen_at):
    start_test_clock()  # Sunday 6 Dec 2026, 2:16 pm IST
    assert formats.when(at("2026-12-06T16:10:00+05:30")) == "आज, 4:10 pm"
    assert formats.when(at("2026-12-05T09:05:00+05:30")) == "बीता कल, 9:05 am"
    assert formats.when(at("2026-12-07T11:00:00+05:30")) == "आने वाला कल, 11:00 am"
    # Other days keep the Indian English day and month, as in English.
    assert formats.when(at("2026-12-01T11:53:00+05:30")) == "1 Dec, 11:53 am"
    with translation.override("en-in"):
        assert formats.when(at("2026-12-06T16:10:00+05:30")) == "Today, 4:10 pm"


def test_time_spent_and_short_spans_in_hindi():
    assert formats.hm(29040) == "8 घं 04 मि"
    assert formats.hm(2700) == "45 मि"
    assert formats.hm(1234 * 3600 + 300) == "1,234 घं 05 मि"
    assert formats.span(45) == "45 से"
    assert formats.span(130) == "2 मि 10 से"
    assert formats.span(3720) == "1 घं 02 मि"
    with translation.override("en-in"):
        assert (formats.hm(29040), formats.span(130), formats.span(45)) == ("8h 04m", "2m 10s", "45s")


def test_figures_and_money_are_the_same_in_both_languages():
    assert formats.num(123456) == "1,23,456"
    assert formats.inr(Decimal("4500000")) == "₹45 L"
    assert formats.inr_full(6000000) == "₹60,00,000"
    assert formats.duration(73) == "1:13"


@clocks("sunday")
def test_how_long_ago_reads_in_hindi(frozen_at):
    start_test_clock()
    then = timezone.now() - dt.timedelta(days=3, hours=2)
    text = Template("{{ then|timesince }}").render(Context({"then": then}))
    assert text.replace("\xa0", " ") == "3 दिन, 2 घंटे"
    one = Template("{{ then|timesince }}").render(Context({"then": timezone.now() - dt.timedelta(minutes=1)}))
    assert one.replace("\xa0", " ") == "1 मिनट"


@clocks("sunday")
def test_inside_a_sentence_hindi_reads_the_same(frozen_at):
    start_test_clock()  # Sunday 6 Dec 2026, 2:16 pm IST
    yesterday = at("2026-12-05T18:17:00+05:30")
    assert formats.when(yesterday, "mid") == formats.when(yesterday) == "बीता कल, 6:17 pm"
