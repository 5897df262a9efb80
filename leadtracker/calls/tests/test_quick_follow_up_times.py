"""The outcome sheet's quick follow-up chips, worked out on the server in the organisation's zone:
at a Sunday afternoon, five minutes past midnight in India (UTC still on Sunday), and at the
month's end (UTC still on the day before)."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from leadtracker.calls.sheet.forms import SheetForm
from leadtracker.calls.sheet.times import quick_times
from leadtracker.testing import clocks

IST = ZoneInfo("Asia/Kolkata")


def at(text):
    return dt.datetime.fromisoformat(text)


@clocks("sunday")
@pytest.mark.django_db
def test_on_a_sunday_afternoon(frozen_at):
    times = quick_times(timezone.now(), IST)  # 2026-12-06 14:16 IST, a Sunday
    assert times["hour"].astimezone(IST).strftime("%Y-%m-%d %H:%M") == "2026-12-06 15:16"
    assert times["evening"] == at("2026-12-06T18:00:00+05:30")
    assert times["tomorrow"] == at("2026-12-07T11:00:00+05:30")
    assert "monday" not in times  # the next Monday is tomorrow: one chip, not two


@clocks("monday-00:05")
@pytest.mark.django_db
def test_five_minutes_past_midnight_in_india_is_already_monday(frozen_at):
    now = timezone.now()
    assert now.astimezone(dt.UTC).date() == dt.date(2026, 12, 6)  # still Sunday in UTC
    times = quick_times(now, IST)
    assert times["hour"].astimezone(IST).strftime("%Y-%m-%d %H:%M") == "2026-12-07 01:05"
    assert times["evening"] == at("2026-12-07T18:00:00+05:30")  # this evening, not yesterday's
    assert times["tomorrow"] == at("2026-12-08T11:00:00+05:30")
    assert times["monday"] == at("2026-12-14T11:00:00+05:30")  # today is Monday: a week on


@clocks("month-end")
@pytest.mark.django_db
def test_at_the_months_end(frozen_at):
    times = quick_times(timezone.now(), IST)  # 2027-04-30 02:00 IST, a Friday; UTC: the 29th
    assert times["evening"] == at("2027-04-30T18:00:00+05:30")
    assert times["tomorrow"] == at("2027-05-01T11:00:00+05:30")
    assert times["monday"] == at("2027-05-03T11:00:00+05:30")


@clocks("23:55")
@pytest.mark.django_db
def test_late_in_the_evening_there_is_no_this_evening(frozen_at):
    times = quick_times(timezone.now(), IST)
    assert "evening" not in times
    assert times["hour"].astimezone(IST).strftime("%Y-%m-%d %H:%M") == "2026-12-10 00:55"
    assert times["tomorrow"] == at("2026-12-10T11:00:00+05:30")


def test_another_zone_is_its_own(settings):
    dubai = ZoneInfo("Asia/Dubai")
    now = at("2026-12-06T21:30:00+00:00")  # 3:00 am Monday in India, 1:30 am Monday in Dubai
    assert quick_times(now, IST)["tomorrow"] == at("2026-12-08T11:00:00+05:30")
    assert quick_times(now, dubai)["tomorrow"] == at("2026-12-08T11:00:00+04:00")


def test_the_form_turns_a_chip_into_its_time_and_refuses_a_missing_pick():
    now = at("2026-12-06T08:46:00+00:00")  # 14:16 IST
    form = SheetForm({"outcome": "1", "when": "tomorrow"}, outcomes=[_Outcome()], now=now, tz=IST)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["due_at"] == at("2026-12-07T11:00:00+05:30")
    form = SheetForm({"outcome": "1", "when": "pick"}, outcomes=[_Outcome()], now=now, tz=IST)
    assert not form.is_valid() and "follow_up_at" in form.errors
    late = at("2026-12-06T12:00:00+00:00")  # 17:30 IST: "this evening" is gone
    form = SheetForm({"outcome": "1", "when": "evening"}, outcomes=[_Outcome()], now=late, tz=IST)
    assert not form.is_valid() and "passed" in form.errors["follow_up_at"][0]


class _Outcome:
    pk = 1
    name = "Interested"
