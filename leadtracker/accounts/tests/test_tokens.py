"""API and device tokens: random, shown once, stored only as a hash, revocable at once."""

import hashlib

from leadtracker.accounts.actions import create_api_token, revoke_api_token
from leadtracker.accounts.audit import Actor
from leadtracker.accounts.models import ApiToken


def test_token_is_stored_only_as_hash(acme):
    token, raw = create_api_token(acme.alice, name="zapier", actor=Actor.system())
    row = ApiToken.objects.get(pk=token.pk)
    assert raw.startswith("ltp_") and len(raw) >= 40
    assert row.token_hash == hashlib.sha256(raw.encode()).hexdigest()
    assert raw[:12] == row.prefix
    # The secret appears in no column of the row.
    for field in row._meta.concrete_fields:
        assert raw not in str(getattr(row, field.attname))


def test_two_tokens_differ(acme):
    _, a = create_api_token(acme.alice, name="a", actor=Actor.system())
    _, b = create_api_token(acme.alice, name="b", actor=Actor.system())
    assert a != b


def test_token_authenticates_and_records_last_use(acme, api_as):
    client = api_as(acme.alice)
    token = ApiToken.objects.get(user=acme.alice.user)
    assert token.last_used_at is None
    body = client.get("/api/v1/me").json()
    assert body["email"] == "alice@acme.test" and body["via"] == "personal"
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_revoked_token_fails_at_once(acme, api_as):
    client = api_as(acme.alice)
    assert client.get("/api/v1/me").status_code == 200
    revoke_api_token(ApiToken.objects.get(user=acme.alice.user), actor=Actor.system())
    response = client.get("/api/v1/me")
    assert response.status_code == 401
    assert response.json()["detail"].startswith("authentication required")


def test_wrong_and_malformed_tokens_fail(acme, client):
    for header in ("Bearer ltp_nope", "Bearer ", "Basic abc", "Bearer " + "x" * 5000):
        assert client.get("/api/v1/me", HTTP_AUTHORIZATION=header).status_code == 401


def test_create_list_revoke_through_api(acme, api_as, as_member):
    client = api_as(acme.bob)
    # A token cannot mint tokens (a leaked one would outlive its revocation); a session can.
    assert client.post("/api/v1/tokens", {"name": "x"}, content_type="application/json").status_code == 401
    created = as_member(acme.bob).post("/api/v1/tokens", {"name": "script"}, content_type="application/json")
    assert created.status_code == 201
    secret = created.json()["token"]
    listed = client.get("/api/v1/tokens").json()
    assert {t["name"] for t in listed} == {"test", "script"}
    assert all("token" not in t for t in listed)  # never shown again
    from django.test import Client

    new_client = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert new_client.get("/api/v1/me").status_code == 200
    assert client.delete(f"/api/v1/tokens/{created.json()['id']}").status_code == 200
    assert new_client.get("/api/v1/me").status_code == 401


def test_tokens_page_shows_secret_once(acme, as_member):
    client = as_member(acme.alice)
    first = client.post("/tokens/", {"name": "sheet"}).content.decode()
    token = ApiToken.objects.get(user=acme.alice.user, name="sheet")
    assert token.prefix in first and "shown only this once" in first
    again = client.get("/tokens/").content.decode()
    assert token.prefix in again and "shown only this once" not in again


def test_device_token_is_refused_outside_the_device_endpoints(acme, api_as):
    device = api_as(acme.adam, kind="device")
    assert device.raw_token.startswith("ltd_")
    assert device.get("/api/v1/me").status_code == 401
    assert device.post(f"/api/v1/members/{acme.alice.pk}/deactivate").status_code == 401


def test_wrong_tokens_are_throttled_per_address(acme, api_as, settings):
    from django.test import Client

    settings.API_AUTH_FAILURES_PER_ADDRESS = 3
    statuses = [
        Client()
        .get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer ltp_wrong{i}", REMOTE_ADDR="198.51.100.20")
        .status_code
        for i in range(5)
    ]
    assert statuses == [401, 401, 401, 429, 429]
    other = Client().get("/api/v1/me", HTTP_AUTHORIZATION="Bearer ltp_wrong", REMOTE_ADDR="198.51.100.21")
    assert other.status_code == 401
    good = api_as(acme.alice).get("/api/v1/me", REMOTE_ADDR="198.51.100.20")
    assert good.status_code == 200  # a valid token from that address still works


def test_admin_sees_and_revokes_a_members_device_token(acme, api_as, as_member):
    device = api_as(acme.alice, kind="device")
    token = ApiToken.objects.get(user=acme.alice.user, kind="device")
    admin = as_member(acme.adam)
    page = admin.get(f"/members/{acme.alice.pk}/").content.decode()
    assert token.prefix in page and "Device token" in page
    assert (
        admin.post(
            f"/tokens/{token.pk}/revoke/", {"next": f"/members/{acme.alice.pk}/", "confirm": "yes"}
        ).status_code
        == 302
    )
    assert ApiToken.objects.get(pk=token.pk).revoked_at is not None
    assert device.raw_token  # the secret itself was never stored
