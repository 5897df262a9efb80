"""Pairing a phone (sync protocol: Identity) and its reported state; revoking it."""

import datetime as dt
import io

from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from leadtracker.accounts.models import ApiToken, AuditEvent, hash_secret
from leadtracker.calls.models import Device, PairingCode


def pair(code, **extra):
    body = {
        "code": code,
        "name": "Sunil's Redmi",
        "platform": "android",
        "os_version": "14",
        "app_version": "0.1.0",
        **extra,
    }
    return Client().post("/api/v1/devices/pair", body, content_type="application/json")


def make_code(client):
    return client.post("/api/v1/pairing-codes", {}, content_type="application/json").json()["code"]


def test_pair_once_and_the_token_is_a_hash(acme, as_member):
    code = make_code(as_member(acme.alice))
    assert len(code) == 9 and code[4] == "-"
    response = pair(code.lower().replace("-", " "))  # typed loosely on a phone
    assert response.status_code == 201
    body = response.json()
    assert body["user_id"] == acme.alice.user_id and body["organisation"] == "acme"
    token = ApiToken.objects.get(kind="device")
    assert token.token_hash == hash_secret(body["token"]) and body["token"] not in token.prefix * 3
    assert pair(code).status_code == 400  # single use
    device = Device.objects.get()
    assert (device.platform, device.os_version, device.app_version) == ("android", "14", "0.1.0")


def test_expired_and_wrong_codes_say_the_same(acme, as_member):
    code = make_code(as_member(acme.alice))
    PairingCode.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    expired = pair(code)
    wrong = pair("ABCD-EFGH")
    assert expired.status_code == wrong.status_code == 400
    assert expired.json() == wrong.json()
    assert expired.json()["errors"][0]["field"] == "code"


def test_state_report_and_usage_headers(acme, as_member):
    token = pair(make_code(as_member(acme.alice))).json()["token"]
    device_client = Client(
        HTTP_AUTHORIZATION=f"Bearer {token}", HTTP_X_APP_VERSION="0.2.0", HTTP_X_OS="Android 15"
    )
    response = device_client.post(
        "/api/v1/devices/state",
        {"call_log_permission": "revoked", "queue_length": 12},
        content_type="application/json",
    )
    assert response.status_code == 200
    device = Device.objects.get()
    assert (device.call_log_permission, device.queue_length) == ("revoked", 12)
    assert (device.app_version, device.os_version) == ("0.2.0", "Android 15")
    bad = device_client.post(
        "/api/v1/devices/state",
        {"call_log_permission": "maybe", "sms_inbox": []},
        content_type="application/json",
    )
    assert bad.status_code == 422
    # A person's token is not a device's.
    assert (
        as_member(acme.alice).post("/api/v1/devices/state", {}, content_type="application/json").status_code
        == 401
    )


def test_revoked_device_gets_401_at_once(acme, as_member):
    token = pair(make_code(as_member(acme.alice))).json()["token"]
    device_client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    assert device_client.post("/api/v1/attendance/punch-in").status_code == 201
    device = Device.objects.get()
    revoked = as_member(acme.maya).post(f"/devices/{device.pk}/revoke/", {"confirm": "yes"})
    assert revoked.status_code == 302  # her manager
    assert device_client.post("/api/v1/attendance/punch-out").status_code == 401
    assert device_client.post("/api/v1/devices/state", {}, content_type="application/json").status_code == 401
    assert AuditEvent.objects.filter(action="device.revoke").exists()


def test_managers_make_codes_for_their_team_only(acme, api_as):
    maya = api_as(acme.maya)
    ok = maya.post("/api/v1/pairing-codes", {"member_id": acme.bob.pk}, content_type="application/json")
    assert ok.status_code == 201
    assert PairingCode.objects.get().user == acme.bob.user
    other = maya.post("/api/v1/pairing-codes", {"member_id": acme.carl.pk}, content_type="application/json")
    assert other.status_code == 404  # carl is in mark's team


def test_pairing_code_command_prints_the_code_last(acme):
    out = io.StringIO()
    call_command("pairing_code", org="acme", email="alice@acme.test", stdout=out)
    code = out.getvalue().split()[-1]
    assert pair(code).status_code == 201


def test_devices_page_shows_health_and_stale(acme, as_member, settings):
    from leadtracker.attendance.models import Shift

    settings.DEVICE_STALE_MINUTES = 30
    pair(make_code(as_member(acme.alice)))
    Device.objects.update(paired_at=timezone.now() - dt.timedelta(hours=2))
    page = as_member(acme.maya).get("/devices/").content.decode()
    assert "Sunil&#x27;s Redmi" in page and "stale" not in page  # off shift: not stale
    Shift.objects.create(organisation=acme.org, user=acme.alice.user, started_at=timezone.now())
    page = as_member(acme.maya).get("/devices/").content.decode()
    assert 'badge off">stale' in page
    assert "Sunil" not in as_member(acme.carl).get("/devices/").content.decode()  # not his
