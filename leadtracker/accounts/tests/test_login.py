"""Logging in by e-mail, throttling of failed attempts per account and per address."""

import pytest
from django.test import Client, override_settings

from leadtracker.accounts.models import AuditEvent
from leadtracker.testing import PASSWORD


def attempt(client, email, password, ip="203.0.113.5"):
    return client.post("/login/", {"email": email, "password": password}, REMOTE_ADDR=ip)


def test_login_by_email_any_case_and_audit(acme):
    client = Client()
    response = attempt(client, "ALICE@Acme.Test", PASSWORD)
    assert response.status_code == 302 and response.url == "/"
    assert client.get("/").context["membership"] == acme.alice
    event = AuditEvent.objects.get(action="user.login")
    assert event.actor_user == acme.alice.user and event.ip_address == "203.0.113.5"


def test_wrong_password_is_refused_without_saying_which_part(acme):
    response = attempt(Client(), "alice@acme.test", "nope-nope-nope")
    assert response.status_code == 400
    assert "do not match" in response.content.decode()


@override_settings(LOGIN_THROTTLE_PER_ACCOUNT=3, LOGIN_THROTTLE_PER_ADDRESS=100)
def test_account_is_throttled_from_any_address(acme):
    for i in range(3):
        assert attempt(Client(), "alice@acme.test", "wrong-password", ip=f"198.51.100.{i}").status_code == 400
    # Even the right password from a new address is refused while the window lasts.
    blocked = attempt(Client(), "alice@acme.test", PASSWORD, ip="198.51.100.99")
    assert blocked.status_code == 429
    assert "Too many failed attempts" in blocked.content.decode()
    # Other accounts are unaffected.
    assert attempt(Client(), "bob@acme.test", PASSWORD, ip="198.51.100.99").status_code == 302


@override_settings(LOGIN_THROTTLE_PER_ACCOUNT=100, LOGIN_THROTTLE_PER_ADDRESS=4)
def test_address_is_throttled_across_accounts(acme):
    for who in ("alice", "bob", "carl", "maya"):
        assert attempt(Client(), f"{who}@acme.test", "wrong-password").status_code == 400
    assert attempt(Client(), "mark@acme.test", PASSWORD).status_code == 429
    assert attempt(Client(), "mark@acme.test", PASSWORD, ip="192.0.2.1").status_code == 302


@override_settings(LOGIN_THROTTLE_PER_ACCOUNT=3)
def test_success_resets_the_account_counter(acme):
    for _ in range(2):
        attempt(Client(), "alice@acme.test", "wrong-password")
    assert attempt(Client(), "alice@acme.test", PASSWORD).status_code == 302
    for _ in range(2):
        assert attempt(Client(), "alice@acme.test", "wrong-password").status_code == 400
    assert attempt(Client(), "alice@acme.test", PASSWORD).status_code == 302


def test_inactive_user_cannot_log_in(acme):
    acme.alice.user.is_active = False
    acme.alice.user.save()
    assert attempt(Client(), "alice@acme.test", PASSWORD).status_code == 400


def test_passwords_are_hashed_with_argon2(acme, settings):
    # The suite hashes with MD5 for speed (conftest.py); production's own list is argon2 first.
    from django.contrib.auth import hashers

    import leadtracker.settings as production

    assert production.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
    settings.PASSWORD_HASHERS = production.PASSWORD_HASHERS
    hashers.get_hashers.cache_clear()
    hashers.get_hashers_by_algorithm.cache_clear()
    user = acme.alice.user
    user.set_password("a-new-long-password")
    user.save()
    assert user.password.startswith("argon2")
    assert attempt(Client(), "alice@acme.test", "a-new-long-password").status_code == 302


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x"])
def test_next_cannot_leave_the_site(acme, target):
    response = Client().post(
        f"/login/?next={target}", {"email": "alice@acme.test", "password": PASSWORD, "next": target}
    )
    assert response.status_code == 302 and response.url == "/"


def test_logout_needs_post(acme, as_member):
    client = as_member(acme.alice)
    assert client.get("/logout/").status_code == 405
    assert client.post("/logout/").status_code == 302
    assert client.get("/").status_code == 302  # back to login
