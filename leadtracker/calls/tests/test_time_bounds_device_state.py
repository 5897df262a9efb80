"""A phone's report of when it last read its call log is held to a window: fifty years back, a
day ahead (a clock running a few minutes fast is not refused; the sync health must go on). A
year 9999 or 1 is refused with 422 naming the field, and nothing of the report is kept."""

import datetime as dt

import pytest
from django.utils import timezone

from leadtracker.calls.models import Device
from leadtracker.testing import window_refusal


def state(phone, body):
    return phone.post("/api/v1/devices/state", body, content_type="application/json")


@pytest.mark.parametrize(
    "at, words",
    [
        ("9999-12-31T23:59:59Z", "is more than 24 hours in the future"),
        ("9999-12-31T23:59:59-05:00", "is more than 24 hours in the future"),
        ("0001-01-01T00:00:00+05:30", "is more than 50 years in the past"),
    ],
)
def test_a_read_time_out_of_range_is_refused(acme, phone, at, words):
    response = state(phone, {"last_call_log_read_at": at, "queue_length": 7})
    assert response.status_code == 422, response.content
    assert response.json()["errors"][0] == window_refusal("last_call_log_read_at", words)
    device = Device.objects.get(pk=phone.device.pk)
    assert device.last_call_log_read_at is None and device.queue_length is None


def test_a_clock_a_few_minutes_fast_is_kept(acme, phone):
    ahead = (timezone.now() + dt.timedelta(minutes=10)).replace(microsecond=0)
    assert state(phone, {"last_call_log_read_at": ahead.isoformat()}).status_code == 200
    assert Device.objects.get(pk=phone.device.pk).last_call_log_read_at == ahead


def test_a_naive_read_time_is_refused_naming_the_field(phone):
    response = phone.post(
        "/api/v1/devices/state",
        {"last_call_log_read_at": "2026-11-24T10:00:00"},
        content_type="application/json",
    )
    assert response.status_code == 400 and response.json()["errors"][0]["field"] == "last_call_log_read_at"
