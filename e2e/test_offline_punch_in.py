"""Punching in without a network: the punch waits on the phone ("1 change waiting to send"),
and when the network is back the shift starts at the moment the person punched in, not when
the punch arrived; sent again with its key, still one shift (static/js/sw.js,
accounts/idempotency.py, attendance)."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from e2e.test_offline import ACTIVATED, BACKDATE
from leadtracker.accounts.models import IdempotentRequest
from leadtracker.attendance.models import Shift
from leadtracker.testing import login_client, wait_until

# What this file tests is done by our service worker: it runs in the file's pages, which
# otherwise block it (e2e/conftest.py, workers_for).
pytestmark = pytest.mark.service_worker


@pytest.mark.slow(reason="a browser signs in, waits for the worker, punches in offline and comes back")
def test_a_punch_in_made_offline_starts_the_shift_when_it_was_made(phone, live_server, people, login):
    login(phone, live_server.url, "alice@acme.test")
    wait_until(lambda: phone.evaluate(ACTIVATED), "the worker to be active")
    if not phone.evaluate("navigator.serviceWorker.controller !== null"):
        phone.reload()
    phone.goto(f"{live_server.url}/attendance/")  # kept on the phone

    phone.context.set_offline(True)
    phone.goto(f"{live_server.url}/attendance/")
    phone.click("button:has-text('Punch in')")
    expect(phone.locator("#outbox-waiting")).to_have_text("1 change waiting to send")
    made = (timezone.now() - dt.timedelta(minutes=40)).replace(microsecond=500_000)
    assert phone.evaluate(BACKDATE, made.isoformat()) == 1
    assert not Shift.objects.filter(user=people.alice.user).exists()

    phone.context.set_offline(False)
    wait_until(lambda: Shift.objects.filter(user=people.alice.user).exists(), "the punch to arrive")
    [shift] = Shift.objects.filter(user=people.alice.user)
    assert shift.started_at == made and shift.ended_at is None
    phone.reload()
    expect(phone.locator("#outbox-waiting")).to_have_count(0)

    kept = IdempotentRequest.objects.get(user=people.alice.user, path="/attendance/punch/")
    client = login_client(people.alice)
    for _ in range(5):
        client.post(kept.path, {"action": "in"}, HTTP_IDEMPOTENCY_KEY=kept.key)
    assert Shift.objects.filter(user=people.alice.user).count() == 1
