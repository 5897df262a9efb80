"""Roll-ups under concurrent syncs: two phones of the same person and a colleague's phone send
overlapping batches (the same calls resent, new ones, a miss and its return) at the same
moment to a live server, each request on its own database connection. Afterwards the
roll-ups equal a direct aggregate. On PostgreSQL the per-person advisory lock serialises the
recomputes (a collision would otherwise surface as a unique violation and a retry of the whole
batch); on SQLite the single writer serialises them, and the same must hold."""

import json
import threading
import urllib.request

import pytest

from leadtracker.calls.models import Call
from leadtracker.reports.tests.direct import assert_rollups_match
from leadtracker.testing import call, make_lead, open_shift, paired_client


@pytest.mark.django_db(transaction=True)
def test_overlapping_batches_at_once_leave_the_roll_ups_exact(acme, live_server):
    open_shift(acme.alice)
    open_shift(acme.bob)
    make_lead(acme, phones=["+919800000001"], owner=acme.alice)
    phones = [paired_client(acme.alice, "one"), paired_client(acme.alice, "two"), paired_client(acme.bob)]
    shared = [call(i, number=f"+9198000{i:05d}", minutes_ago=300 - i) for i in range(150)]
    batches = [
        shared[:100] + [call(900, number="+919800000001", type="missed", duration_s=0, minutes_ago=20)],
        shared[50:] + [call(901, number="+919800000001", minutes_ago=10, duration_s=30)],
        [call(i, number=f"+9197000{i:05d}", minutes_ago=200 - i, duration_s=i % 15) for i in range(120)],
    ]
    barrier = threading.Barrier(len(batches))
    answers, errors = [], []

    def send(phone, batch):
        request = urllib.request.Request(
            f"{live_server.url}/api/v1/calls/sync",
            data=json.dumps({"calls": batch}).encode(),
            headers={
                "Authorization": phone.defaults["HTTP_AUTHORIZATION"],
                "Content-Type": "application/json",
            },
            method="POST",
        )
        try:
            barrier.wait()
            with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310 — our live server
                answers.append(response.status)
        except Exception as exc:  # noqa: BLE001 — reported below
            errors.append(exc)

    threads = [threading.Thread(target=send, args=pair) for pair in zip(phones, batches, strict=True)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(90)
    assert not errors, errors
    assert answers == [200, 200, 200]
    # Alice's two phones logged the same 150 calls (once), a miss and its return; Bob his 120.
    assert Call.objects.filter(user=acme.alice.user).count() == 152
    assert_rollups_match(acme.org)
