"""Abuse limits on phones, through real HTTP: guessing pairing codes (per address) and call
sync (per device, whatever its address) answer 429 with Retry-After."""

from django.test import Client

from leadtracker.accounts.audit import Actor
from leadtracker.calls import actions
from leadtracker.testing import call, clocks, paired_client, send

# The limits count in fixed windows of the clock (accounts/throttle.py): a test whose requests
# straddled a window's end saw its count start again (CI, 7 Dec: the third sync of "2/m"
# answered 200). The clock starts at the beginning of a minute and ticks on.
pytestmark = clocks("sunday")


def pair(code, ip="198.51.100.30"):
    return Client().post(
        "/api/v1/devices/pair",
        {"code": code, "name": "Phone"},
        content_type="application/json",
        REMOTE_ADDR=ip,
    )


def test_guessing_pairing_codes_is_stopped_per_address(frozen_at, acme, settings):
    settings.PAIRING_FAILURES_PER_ADDRESS = 3
    _code, raw = actions.create_pairing_code(acme.alice, actor=Actor.system(), by=None)
    assert [pair(f"WRONG-{i:03d}").status_code for i in range(3)] == [400, 400, 400]
    limited = pair(raw)  # even the right code, from this address, while the window lasts
    assert limited.status_code == 429 and int(limited["Retry-After"]) > 0
    assert "too many requests" in limited.json()["detail"]
    # Another address pairs with it fine: the code was not used up by the refusal.
    assert pair(raw, ip="198.51.100.31").status_code == 201


def test_a_right_code_does_not_count_as_a_failure(frozen_at, acme, settings):
    settings.PAIRING_FAILURES_PER_ADDRESS = 1
    for _ in range(3):
        _code, raw = actions.create_pairing_code(acme.alice, actor=Actor.system(), by=None)
        assert pair(raw).status_code == 201


def test_sync_is_limited_per_device(frozen_at, acme, settings):
    settings.SYNC_RATE_PER_DEVICE = "2/m"
    phone = paired_client(acme.alice)
    other = paired_client(acme.bob)
    assert [send(phone, [call(i)]).status_code for i in range(2)] == [200, 200]
    limited = send(phone, [call(9)])
    assert limited.status_code == 429 and 0 < int(limited["Retry-After"]) <= 60
    assert limited.json()["detail"].startswith("too many requests")
    # Changing address does not help; another device is unaffected.
    assert (
        phone.post(
            "/api/v1/calls/sync",
            {"calls": [call(11)]},
            content_type="application/json",
            REMOTE_ADDR="192.0.2.99",
        ).status_code
        == 429
    )
    assert send(other, [call(1)]).status_code == 200
