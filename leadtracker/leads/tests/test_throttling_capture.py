"""Abuse limits on public web capture, through real HTTP: per address and per capture key
(a form flooded from many addresses), each a 429 with Retry-After; nothing stored past it."""

import pytest
from django.test import Client

from leadtracker.accounts.audit import Actor
from leadtracker.leads.actions.settings import create_source, rotate_capture_key
from leadtracker.leads.models import Lead
from leadtracker.testing import clocks

# The limits count in fixed windows of the clock (accounts/throttle.py): requests that straddled
# a window's end would see the count start again. The clock starts at the beginning of a minute
# and ticks on.
pytestmark = clocks("sunday")


@pytest.fixture
def key(acme):
    source = create_source(acme.org, "Website", actor=Actor.system())
    return rotate_capture_key(source, actor=Actor.system()).capture_key


def post(key, n, ip):
    return Client().post(
        f"/api/v1/capture/{key}",
        {"name": f"Enquirer {n}", "phone": f"98765{n:05d}"},
        content_type="application/json",
        REMOTE_ADDR=ip,
    )


def test_capture_is_limited_per_address(frozen_at, acme, key, settings):
    settings.API_RATE_ANONYMOUS, settings.CAPTURE_RATE_PER_KEY = "2/m", "100/m"
    assert [post(key, n, "198.51.100.40").status_code for n in range(2)] == [201, 201]
    limited = post(key, 2, "198.51.100.40")
    assert limited.status_code == 429 and 0 < int(limited["Retry-After"]) <= 60
    assert "too many requests" in limited.json()["detail"]
    assert post(key, 3, "198.51.100.41").status_code == 201
    assert Lead.objects.filter(organisation=acme.org).count() == 3


def test_capture_is_limited_per_key_across_addresses(frozen_at, acme, key, settings):
    settings.API_RATE_ANONYMOUS, settings.CAPTURE_RATE_PER_KEY = "100/m", "3/m"
    statuses = [post(key, n, f"203.0.113.{n}").status_code for n in range(5)]
    assert statuses == [201, 201, 201, 429, 429]
    assert Lead.objects.filter(organisation=acme.org).count() == 3
    other_source = create_source(acme.org, "Landing page", actor=Actor.system())
    other = rotate_capture_key(other_source, actor=Actor.system()).capture_key
    assert post(other, 9, "203.0.113.9").status_code == 201
