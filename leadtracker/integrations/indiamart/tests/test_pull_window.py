"""The pull's window arithmetic: IndiaMART's time format, 7-day windows, the overlap."""

import datetime as dt

from leadtracker.integrations.indiamart.fields import lead_fields
from leadtracker.integrations.indiamart.tests.fake_indiamart import enquiry
from leadtracker.integrations.indiamart.window import (
    FIRST_LOOK_BACK,
    IST,
    MAX_SPAN,
    OVERLAP,
    api_time,
    next_window,
    parse_api_time,
    parse_query_time,
)

NOW = dt.datetime(2026, 12, 6, 8, 46, 12, 345, tzinfo=dt.UTC)  # 14:16:12 IST


def test_times_are_written_in_india_as_indiamart_reads_them():
    assert api_time(NOW) == "06-Dec-202614:16:12"
    # 23:30 UTC is already the next day in India, and a month's short name is English.
    assert api_time(dt.datetime(2026, 12, 31, 23, 30, tzinfo=dt.UTC)) == "01-Jan-202705:00:00"
    assert parse_api_time("06-Dec-202614:16:12") == NOW.replace(microsecond=0)
    assert parse_query_time("2026-12-06 14:16:12") == NOW.replace(microsecond=0)
    assert parse_query_time("yesterday") is None


def test_a_new_connector_starts_with_the_last_day():
    start, end = next_window(None, NOW)
    assert (start, end) == (NOW.replace(microsecond=0) - FIRST_LOOK_BACK, NOW.replace(microsecond=0))


def test_each_window_reaches_back_over_the_last_one():
    cursor = NOW - dt.timedelta(minutes=5)
    start, end = next_window(cursor, NOW)
    assert start == (cursor - OVERLAP).replace(microsecond=0)
    assert end == NOW.replace(microsecond=0)


def test_far_behind_it_catches_up_seven_days_a_pull():
    cursor = NOW - dt.timedelta(days=20)
    windows = []
    while True:
        start, end = next_window(cursor, NOW)
        windows.append((start, end))
        assert end - start <= dt.timedelta(days=7)
        cursor = end
        if end == NOW.replace(microsecond=0):
            break
    assert len(windows) == 3
    assert windows[0][1] - windows[0][0] == MAX_SPAN
    # Each window starts before the last one ended: nothing between them is skipped.
    for (_, end), (start, _) in zip(windows, windows[1:], strict=False):
        assert start < end


def test_an_enquiry_reads_as_a_lead_with_its_kind_in_words():
    record = enquiry(7, at=NOW, QUERY_TYPE="P", SENDER_MOBILE_ALT="+91-9123456789")
    fields = lead_fields(record)
    assert fields["external_id"] == "2700000007"
    assert fields["phones"] == ["+91-9800000007", "+91-9123456789"]
    assert fields["attribution"] == "IndiaMART: Steel Almirah"
    assert "phone call to your IndiaMART number" in fields["notes"]
    assert "Quantity: 10 Piece\nUsage: Office" in fields["notes"]
    assert fields["occurred_at"] == NOW.replace(microsecond=0).astimezone(IST)


def test_before_the_first_window_is_stored_it_starts_from_when_the_connector_was_added():
    added = NOW - dt.timedelta(hours=3)
    assert next_window(None, NOW, added_at=added)[0] == (added - FIRST_LOOK_BACK).replace(microsecond=0)
    # A key given to a connector added long ago reads one window back, not months.
    long_ago = NOW - dt.timedelta(days=90)
    assert next_window(None, NOW, added_at=long_ago)[0] == (NOW - MAX_SPAN).replace(microsecond=0)
