"""The template filters every page writes times, numbers and money with (lib/formats.py), in the
organisation's zone, at the instants where days, months and years turn over."""

import datetime as dt
import random
from decimal import ROUND_HALF_UP, Decimal
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from babel.numbers import format_decimal
from django.template import Context, Template
from django.utils import timezone

from leadtracker.lib import formats
from leadtracker.testing import clocks, start_test_clock

IST = ZoneInfo("Asia/Kolkata")
UTC = dt.UTC


@pytest.fixture(autouse=True)
def _in_india():
    with timezone.override(IST):
        yield


def render(text, **context):
    """Through a template with no {% load %}: the filters are builtins."""
    return Template(text).render(Context(context))


def at(text):
    return dt.datetime.fromisoformat(text)


@clocks("sunday")
def test_when_names_today_yesterday_and_tomorrow(frozen_at):
    start_test_clock()  # Sunday 6 Dec 2026, 2:16 pm IST
    assert render("{{ t|when }}", t=at("2026-12-06T16:10:00+05:30")) == "Today, 4:10 pm"
    assert render("{{ t|when }}", t=at("2026-12-05T09:05:00+05:30")) == "Yesterday, 9:05 am"
    assert render("{{ t|when }}", t=at("2026-12-07T11:00:00+05:30")) == "Tomorrow, 11:00 am"
    assert render("{{ t|when }}", t=at("2026-12-01T11:53:00+05:30")) == "1 Dec, 11:53 am"
    assert render("{{ t|when }}", t=at("2025-12-06T11:53:00+05:30")) == "6 Dec 2025, 11:53 am"
    # Stored in UTC, shown in India: 06:23 UTC is 11:53 am.
    assert formats.when(at("2026-12-03T06:23:00+00:00")) == "3 Dec, 11:53 am"


@clocks("monday-00:05")
def test_just_after_midnight_today_is_india_s_day_not_utc_s(frozen_at):
    start_test_clock()  # Monday 7 Dec 00:05 IST, still Sunday 18:35 in UTC
    assert formats.when(timezone.now()) == "Today, 12:05 am"
    assert formats.when(at("2026-12-06T23:59:00+05:30")) == "Yesterday, 11:59 pm"
    assert formats.when(at("2026-12-06T18:00:00+00:00")) == "Yesterday, 11:30 pm"
    assert formats.day(timezone.now()) == "7 Dec"
    assert formats.ymd(timezone.now()) == "2026-12-07"
    assert formats.clock(at("2026-12-07T12:00:00+05:30")) == "12:00 pm"


@clocks("month-end")
def test_at_a_month_s_end_tomorrow_is_the_next_month(frozen_at):
    start_test_clock()  # 30 Apr 2027, 2 am IST (UTC: the 29th)
    assert formats.when(at("2027-05-01T10:00:00+05:30")) == "Tomorrow, 10:00 am"
    # 20:30 UTC on the 30th is already 1 May in India.
    assert formats.when(at("2027-04-30T20:30:00+00:00")) == "Tomorrow, 2:00 am"
    assert formats.when(at("2027-04-29T20:30:00+00:00")) == "Today, 2:00 am"
    assert formats.day(dt.date(2027, 4, 30)) == "30 Apr"


@clocks("31-december")
def test_at_a_year_s_end_tomorrow_has_no_year_but_a_later_day_has(frozen_at):
    start_test_clock()  # 31 Dec 2026, 11:30 pm IST
    assert formats.when(at("2027-01-01T09:00:00+05:30")) == "Tomorrow, 9:00 am"
    assert formats.when(at("2027-01-02T09:00:00+05:30")) == "2 Jan 2027, 9:00 am"
    assert formats.day(dt.date(2027, 1, 2)) == "2 Jan 2027"
    assert formats.day(dt.date(2026, 1, 2)) == "2 Jan"


def test_am_and_pm_are_lower_case():
    assert formats.clock(at("2026-12-06T19:07:00+05:30")) == "7:07 pm"
    assert formats.clock(dt.time(7, 7)) == "7:07 am"
    assert "PM" not in formats.when(at("2020-12-06T19:07:00+05:30"))


def test_a_time_at_the_edge_of_the_calendar_still_renders():
    assert formats.when(dt.datetime(9999, 12, 31, 23, 59, tzinfo=UTC)) == "31 Dec 9999, 11:59 pm"
    assert formats.day(dt.date(9999, 12, 31)) == "31 Dec 9999"
    assert formats.when(dt.datetime(1, 1, 1, tzinfo=UTC)).startswith("1 Jan 1")


@pytest.mark.parametrize(
    ("seconds", "text"),
    [(0, "0m"), (59, "0m"), (45 * 60, "45m"), (8 * 3600 + 4 * 60, "8h 04m"), (12 * 3600, "12h 00m")],
)
def test_hours_and_minutes(seconds, text):
    assert render("{{ s|hm }}", s=seconds) == text


def test_hours_are_grouped_the_indian_way():
    assert formats.hm(123456 * 3600 + 5 * 60) == "1,23,456h 05m"


def test_a_figure_in_hours_reads_as_hours_and_minutes():
    assert render('{{ h|hm:"hours" }}', h=8.0667) == "8h 04m"
    assert render('{{ h|hm:"hours" }}', h=0.5) == "30m"


@clocks("sunday")
def test_weekday(frozen_at):
    start_test_clock()
    assert formats.weekday(dt.date(2026, 12, 6)) == "Sun, 6 Dec"
    assert formats.weekday(dt.date(2025, 12, 6)) == "Sat, 6 Dec 2025"


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (999, "₹999"),
        (60000, "₹60,000"),
        (4_500_000, "₹45 L"),
        (12_000_000, "₹1.2 Cr"),
        (Decimal("125000.4"), "₹1.3 L"),
    ],
)
def test_money_at_a_glance(value, text):
    assert render("{{ v|inr }}", v=value) == text


def test_money_in_full():
    assert render("{{ v|inr_full }}", v=6_000_000) == "₹60,00,000"
    assert formats.inr_full(Decimal("999.5")) == "₹1,000"
    assert formats.inr_full(6_000_000, "USD") == "USD 6,000,000"
    assert formats.inr(6_000_000, "USD") == "USD 6M"


def test_numbers_and_percentages():
    assert render("{{ n|num }}", n=123456) == "1,23,456"
    assert formats.num(-1234567) == "-12,34,567"
    assert formats.num(12.46, 1) == "12.5"
    assert formats.num(0) == "0"
    assert render("{{ r|pct }}", r=0.4234) == "42%"
    assert formats.pct(Decimal("0.4234"), 1) == "42.3%"


def test_figures_are_grouped_as_babel_groups_them():
    """|num groups figures itself (a tenth of Babel's time, for pages of a thousand figures):
    the same text as Babel's format_decimal for whole numbers and decimals, negative and
    positive, both groupings."""
    rng = random.Random(21)
    values = [0, "-0", "0.4", "-0.5", "999.5", "1E+3", 10**12, -(10**12), *range(-1100, 1100, 37)]
    values += [rng.randint(-(10**13), 10**13) for _ in range(600)]
    values += [round(rng.uniform(-1e7, 1e7), 3) for _ in range(600)]
    for value in values:
        for places in (0, 1, 2):
            rounded = Decimal(str(value)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
            for indian, grouping in ((True, "#,##,##0"), (False, "#,##0")):
                pattern = grouping + ("." + "0" * places if places else "")
                babel = format_decimal(rounded, format=pattern, locale="en_IN", decimal_quantization=False)
                assert formats._grouped(rounded, places, indian=indian) == babel, (value, places, indian)
                if isinstance(value, int) and not places:
                    # num's shortcut for a plain int writes what the Decimal path writes.
                    region = SimpleNamespace(phone_region="IN" if indian else "US")
                    assert formats.num(value, region) == babel, (value, indian)


def test_nothing_to_show_reads_a_dash_and_machine_values_read_empty():
    for name in ("when", "day", "weekday", "clock", "hm", "duration", "num", "pct", "inr", "inr_full"):
        assert render("{{ v|" + name + " }}", v=None) == "—", name
        assert render("{{ v|" + name + " }}", v="") == "—", name
    assert formats.ymd(None) == formats.iso(None) == ""


def test_call_length_and_machine_readable_times():
    assert formats.duration(73) == "1:13"
    assert formats.duration(3723) == "1:02:03"
    assert formats.iso(at("2026-12-06T10:40:00.5+00:00")) == "2026-12-06T16:10:00+05:30"
    assert formats.ymd(dt.date(2026, 12, 6)) == "2026-12-06"


@clocks("sunday")
def test_inside_a_sentence_the_day_s_name_is_lower_case(frozen_at):
    start_test_clock()  # Sunday 6 Dec 2026, 2:16 pm IST
    sentence = "missed {{ t|when:'mid' }}"
    assert render(sentence, t=at("2026-12-05T18:17:00+05:30")) == "missed yesterday, 6:17 pm"
    assert render(sentence, t=at("2026-12-06T09:05:00+05:30")) == "missed today, 9:05 am"
    assert render(sentence, t=at("2026-12-07T11:00:00+05:30")) == "missed tomorrow, 11:00 am"
    assert render(sentence, t=at("2026-12-01T11:53:00+05:30")) == "missed 1 Dec, 11:53 am"
    # At the start of a cell or a line it keeps its capital.
    assert render("{{ t|when }}", t=at("2026-12-05T18:17:00+05:30")) == "Yesterday, 6:17 pm"
