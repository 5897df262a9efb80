"""Abuse limits on the ways in, through real HTTP: every limited answer is 429 with
Retry-After and a message that says what happened — login per account and per address,
password-reset e-mails, wrong bearer tokens."""

from django.core import mail
from django.test import Client

from leadtracker.testing import PASSWORD, clocks

# The limits count in fixed windows of the clock (accounts/throttle.py): requests that straddled
# a window's end would see the count start again. The clock starts at the beginning of a minute
# and ticks on.
pytestmark = clocks("sunday")


def login(email, password, ip):
    return Client().post("/login/", {"email": email, "password": password}, REMOTE_ADDR=ip)


def assert_limited(response):
    assert response.status_code == 429
    wait = int(response["Retry-After"])
    assert 0 < wait <= 3600
    return wait


def test_login_limit_per_account_answers_429_with_retry_after(frozen_at, acme, settings):
    settings.LOGIN_THROTTLE_PER_ACCOUNT, settings.LOGIN_THROTTLE_PER_ADDRESS = 3, 100
    settings.LOGIN_THROTTLE_WINDOW = 600
    for i in range(3):
        assert login("alice@acme.test", "wrong-password", f"198.51.100.{i}").status_code == 400
    blocked = login("alice@acme.test", PASSWORD, "198.51.100.77")
    assert assert_limited(blocked) <= 601
    assert "Too many failed attempts" in blocked.content.decode()


def test_login_limit_per_address_spans_accounts(frozen_at, acme, settings):
    settings.LOGIN_THROTTLE_PER_ACCOUNT, settings.LOGIN_THROTTLE_PER_ADDRESS = 100, 3
    for who in ("alice", "bob", "carl"):
        login(f"{who}@acme.test", "wrong-password", "203.0.113.9")
    assert_limited(login("maya@acme.test", PASSWORD, "203.0.113.9"))
    assert login("maya@acme.test", PASSWORD, "203.0.113.10").status_code == 302


def test_password_reset_limit_answers_429_the_same_for_unknown_addresses(frozen_at, acme, settings):
    settings.PASSWORD_RESET_PER_ACCOUNT, settings.PASSWORD_RESET_PER_ADDRESS = 2, 100
    for email in ("alice@acme.test", "nobody@example.in"):
        answers = [Client().post("/password-reset/", {"email": email}).status_code for _ in range(2)]
        assert answers == [302, 302]
        limited = Client().post("/password-reset/", {"email": email})
        assert_limited(limited)
        assert "Too many reset e-mails" in limited.content.decode()
    assert len(mail.outbox) == 2  # only the real account got mail, and only twice


def test_password_reset_limit_per_address(frozen_at, acme, settings):
    settings.PASSWORD_RESET_PER_ACCOUNT, settings.PASSWORD_RESET_PER_ADDRESS = 100, 2
    for who in ("alice", "bob"):
        assert Client().post("/password-reset/", {"email": f"{who}@acme.test"}).status_code == 302
    assert_limited(Client().post("/password-reset/", {"email": "carl@acme.test"}))
    assert (
        Client().post("/password-reset/", {"email": "carl@acme.test"}, REMOTE_ADDR="192.0.2.4").status_code
        == 302
    )


def test_wrong_bearer_tokens_are_limited_per_address(frozen_at, acme, settings, api_as):
    settings.API_AUTH_FAILURES_PER_ADDRESS = 3
    guesser = Client(HTTP_AUTHORIZATION="Bearer not-a-token", REMOTE_ADDR="198.51.100.20")
    assert [guesser.get("/api/v1/me").status_code for _ in range(3)] == [401, 401, 401]
    limited = guesser.get("/api/v1/me")
    assert_limited(limited)
    assert "too many requests" in limited.json()["detail"]
    # A valid token from another address is unaffected.
    assert api_as(acme.alice).get("/api/v1/me", REMOTE_ADDR="198.51.100.21").status_code == 200


def test_authenticated_api_rate_answers_429_with_retry_after(frozen_at, acme, settings, api_as):
    settings.API_RATE_AUTHENTICATED = "3/m"
    client = api_as(acme.alice)
    assert [client.get("/api/v1/me").status_code for _ in range(3)] == [200, 200, 200]
    limited = client.get("/api/v1/me")
    assert assert_limited(limited) <= 60
    assert limited.json()["detail"].startswith("too many requests: try again in")
