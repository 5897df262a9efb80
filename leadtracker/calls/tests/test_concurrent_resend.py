"""The same batch sent by four clients at once is stored once: real parallel HTTP requests
to a live server, each on its own database connection. The unique constraints decide, not a
check in Python, so this is the PostgreSQL test the protocol's idempotency rests on (on
SQLite the single writer serialises the four, and the same must hold)."""

import json
import threading
import urllib.request

import pytest

from leadtracker.calls.models import Call, CallBack
from leadtracker.testing import call, make_lead, open_shift, paired_client


@pytest.mark.django_db(transaction=True)
def test_four_clients_sending_the_same_batch_at_once_store_it_once(acme, live_server):
    open_shift(acme.alice)
    make_lead(acme, phones=["+919800000001"], owner=acme.alice)
    phone = paired_client(acme.alice)
    token = phone.defaults["HTTP_AUTHORIZATION"]
    batch = [call(i, number=f"+9198000{i:05d}", minutes_ago=300 - i) for i in range(200)]
    batch.append(call(900, number="+919800000001", type="missed", duration_s=0, minutes_ago=2))
    body = json.dumps({"calls": batch}).encode()
    barrier = threading.Barrier(4)
    answers, errors = [], []

    def send():
        request = urllib.request.Request(
            f"{live_server.url}/api/v1/calls/sync",
            data=body,
            headers={"Authorization": token, "Content-Type": "application/json"},
            method="POST",
        )
        try:
            barrier.wait()
            with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310 — our live server
                answers.append((response.status, json.loads(response.read())))
        except Exception as exc:  # noqa: BLE001 — reported below
            errors.append(exc)

    threads = [threading.Thread(target=send) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(90)
    assert not errors, errors
    assert [status for status, _ in answers] == [200] * 4
    assert sum(a["stored"] for _, a in answers) == 201
    for _, a in answers:
        assert a["received"] == a["stored"] + a["duplicates"] + a["outside_shift"] + len(a["rejected"])
    assert Call.objects.count() == 201
    assert CallBack.objects.count() == 1  # the missed call opened one call-back, not four
