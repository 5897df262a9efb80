import datetime as dt
import os

import pytest
from django.test import Client
from django.utils import timezone

from leadtracker.accounts.audit import Actor
from leadtracker.attendance.models import Shift
from leadtracker.calls import actions


def paired_client(member, name="Test phone"):
    """A client holding a real device token, obtained through the pairing exchange."""
    _code, raw = actions.create_pairing_code(member, actor=Actor.system(), by=None)
    device, token = actions.pair_device(raw, name=name, actor=Actor.system())
    client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    client.device = device
    return client


def open_shift(member, hours_ago=8):
    return Shift.objects.create(
        organisation_id=member.organisation_id,
        user_id=member.user_id,
        started_at=timezone.now() - dt.timedelta(hours=hours_ago),
    )


_ANCHOR: dict = {}


def _test_now():
    """One "now" per test, so two calls built 20 minutes apart are exactly 20 minutes apart
    even when the clock ticks over a second between building them. Read again in each test
    (pytest names the running one), also in modules that do not use the fixture below: a
    "now" left by an earlier test, whose clock was moved to another day, put calls in the
    future or outside every shift."""
    test = os.environ.get("PYTEST_CURRENT_TEST", "").rsplit(" (", 1)[0]
    if _ANCHOR.get("test") != test:
        _ANCHOR.update(test=test, now=timezone.now().replace(microsecond=0))
    return _ANCHOR["now"]


@pytest.fixture(autouse=True)
def _anchor():
    """The test's "now" is read as it starts (after a clock moved by ``frozen_at``)."""
    _ANCHOR.clear()
    _test_now()


def call(n=0, *, number="+919876543210", type="outgoing", minutes_ago=60, duration_s=30, **extra):
    ist = dt.timezone(dt.timedelta(hours=5, minutes=30))
    started = _test_now().astimezone(ist) - dt.timedelta(minutes=minutes_ago)
    row = {
        "device_call_id": str(1000 + n),
        "number": number,
        "type": type,
        "started_at": started.replace(microsecond=0).isoformat(),
        "duration_s": duration_s,
    }
    row.update(extra)
    return row


def send(client, calls):
    return client.post("/api/v1/calls/sync", {"calls": calls}, content_type="application/json")


@pytest.fixture
def phone(acme):
    """Alice's paired phone, with Alice on shift since 8 hours ago."""
    open_shift(acme.alice)
    return paired_client(acme.alice)
