"""The client's address, which every per-address limit and the audit log use, cannot be chosen
by the client: X-Forwarded-For counts only when the socket's address is one of our proxies
(FORWARDED_ALLOW_IPS), and then only its right-most entry that is not itself a proxy of ours.

Through real HTTP (the test client), with the production setting USE_X_FORWARDED_FOR on.
"""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import Client, RequestFactory

from leadtracker.accounts.audit import Actor
from leadtracker.accounts.models import AuditEvent
from leadtracker.calls import actions as call_actions
from leadtracker.lib.http import client_ip
from leadtracker.testing import PASSWORD

OUTSIDER = "203.0.113.50"  # reaches gunicorn directly, not through the proxy
PROXY = "127.0.0.1"  # the TLS proxy on this host, trusted by default


@pytest.fixture(autouse=True)
def production_forwarding(settings):
    settings.USE_X_FORWARDED_FOR = True
    settings.FORWARDED_ALLOW_IPS = ["127.0.0.1", "::1"]


def login(forwarded, peer, email="alice@acme.test", password="wrong-password"):
    return Client().post(
        "/login/",
        {"email": email, "password": password},
        REMOTE_ADDR=peer,
        HTTP_X_FORWARDED_FOR=forwarded,
    )


def wrong_token(forwarded, peer):
    return Client().get(
        "/api/v1/me",
        HTTP_AUTHORIZATION="Bearer ltp_guess",
        REMOTE_ADDR=peer,
        HTTP_X_FORWARDED_FOR=forwarded,
    )


def wrong_pairing(forwarded, peer):
    return Client().post(
        "/api/v1/devices/pair",
        {"code": "WRONG-000", "name": "Phone"},
        content_type="application/json",
        REMOTE_ADDR=peer,
        HTTP_X_FORWARDED_FOR=forwarded,
    )


def reset(forwarded, peer, email):
    return Client().post(
        "/password-reset/", {"email": email}, REMOTE_ADDR=peer, HTTP_X_FORWARDED_FOR=forwarded
    )


def rotating(i):
    return f"198.18.{i // 250}.{i % 250 + 1}"


def test_rotating_forwarded_for_from_outside_still_hits_the_login_limit(acme, settings):
    settings.LOGIN_THROTTLE_PER_ACCOUNT, settings.LOGIN_THROTTLE_PER_ADDRESS = 1000, 5
    emails = ["alice", "bob", "carl", "maya", "mark"]
    answers = [login(rotating(i), OUTSIDER, f"{emails[i]}@acme.test").status_code for i in range(5)]
    assert answers == [400] * 5
    # Even the right password of a fresh account, with yet another "address", waits.
    limited = login(rotating(99), OUTSIDER, "olga@acme.test", PASSWORD)
    assert limited.status_code == 429 and int(limited["Retry-After"]) > 0


def test_rotating_forwarded_for_from_outside_still_hits_the_wrong_token_limit(acme, settings):
    settings.API_AUTH_FAILURES_PER_ADDRESS = 5
    answers = [wrong_token(rotating(i), OUTSIDER).status_code for i in range(6)]
    assert answers == [401] * 5 + [429]


def test_rotating_forwarded_for_from_outside_still_hits_the_pairing_limit(acme, settings):
    settings.PAIRING_FAILURES_PER_ADDRESS = 3
    answers = [wrong_pairing(rotating(i), OUTSIDER).status_code for i in range(4)]
    assert answers == [400, 400, 400, 429]


def test_rotating_forwarded_for_from_outside_still_hits_the_reset_limit(acme, settings):
    settings.PASSWORD_RESET_PER_ACCOUNT, settings.PASSWORD_RESET_PER_ADDRESS = 100, 2
    answers = [reset(rotating(i), OUTSIDER, f"{who}@acme.test").status_code for i, who in enumerate("ab")]
    assert answers == [302, 302]
    assert reset(rotating(7), OUTSIDER, "carl@acme.test").status_code == 429


def test_rotating_forwarded_for_from_outside_still_hits_the_anonymous_api_rate(db, settings):
    settings.API_RATE_ANONYMOUS = "3/m"
    answers = [
        Client().get("/api/v1/health", REMOTE_ADDR=OUTSIDER, HTTP_X_FORWARDED_FOR=rotating(i)).status_code
        for i in range(4)
    ]
    assert answers == [200, 200, 200, 429]


def test_behind_the_proxy_each_forwarded_client_has_its_own_limits(acme, settings):
    settings.LOGIN_THROTTLE_PER_ACCOUNT, settings.LOGIN_THROTTLE_PER_ADDRESS = 1000, 3
    settings.API_AUTH_FAILURES_PER_ADDRESS = 3
    settings.PAIRING_FAILURES_PER_ADDRESS = 3
    guesser, colleague = "198.51.100.7", "198.51.100.8"
    for _ in range(3):
        login(guesser, PROXY), wrong_token(guesser, PROXY), wrong_pairing(guesser, PROXY)
    assert login(guesser, PROXY, "olga@acme.test", PASSWORD).status_code == 429
    assert wrong_token(guesser, PROXY).status_code == 429
    assert wrong_pairing(guesser, PROXY).status_code == 429
    # Everyone else behind the same proxy is unaffected: one person's failures lock out no one.
    assert login(colleague, PROXY, "olga@acme.test", PASSWORD).status_code == 302
    assert wrong_token(colleague, PROXY).status_code == 401
    assert wrong_pairing(colleague, PROXY).status_code == 400


def test_a_chain_spoofed_through_the_proxy_counts_against_the_real_client(acme, settings):
    """The proxy appends the address it saw; what the client wrote to its left is ignored."""
    settings.LOGIN_THROTTLE_PER_ACCOUNT, settings.LOGIN_THROTTLE_PER_ADDRESS = 1000, 3
    real = "198.51.100.9"
    for i in range(3):
        assert login(f"{rotating(i)}, {real}", PROXY).status_code == 400
    assert login(f"1.2.3.4, {real}", PROXY, "olga@acme.test", PASSWORD).status_code == 429
    assert login(f"{real}, 1.2.3.4", PROXY, "olga@acme.test", PASSWORD).status_code == 302


def test_behind_two_proxies_of_ours_the_client_is_the_one_before_them(acme, settings):
    """A load balancer (10.0.0.0/8) in front of the proxy on this host: its own address in the
    chain is skipped, so its clients do not all share it."""
    settings.FORWARDED_ALLOW_IPS = ["127.0.0.1", "::1", "10.0.0.0/8"]
    settings.LOGIN_THROTTLE_PER_ACCOUNT, settings.LOGIN_THROTTLE_PER_ADDRESS = 1000, 3
    real, colleague = "198.51.100.11", "198.51.100.12"
    for i in range(3):
        assert login(f"{rotating(i)}, {real}, 10.0.0.5", PROXY).status_code == 400
    assert login(f"1.2.3.4, {real}, 10.0.0.5", PROXY, "olga@acme.test", PASSWORD).status_code == 429
    assert login(f"{colleague}, 10.0.0.5", PROXY, "olga@acme.test", PASSWORD).status_code == 302


def test_the_audit_log_records_the_same_address(acme):
    real = "198.51.100.10"
    assert login(f"1.2.3.4, {real}", PROXY, "alice@acme.test", PASSWORD).status_code == 302
    assert login("1.2.3.4", OUTSIDER, "bob@acme.test", PASSWORD).status_code == 302
    ips = dict(AuditEvent.objects.filter(action="user.login").values_list("actor_user__email", "ip_address"))
    assert ips == {"alice@acme.test": real, "bob@acme.test": OUTSIDER}


def test_pairing_is_audited_with_the_same_address(acme):
    _code, raw = call_actions.create_pairing_code(acme.alice, actor=Actor.system(), by=None)
    answer = Client().post(
        "/api/v1/devices/pair",
        {"code": raw, "name": "Phone"},
        content_type="application/json",
        REMOTE_ADDR=OUTSIDER,
        HTTP_X_FORWARDED_FOR="10.9.9.9",
    )
    assert answer.status_code == 201
    assert AuditEvent.objects.filter(ip_address=OUTSIDER).exists()
    assert not AuditEvent.objects.filter(ip_address="10.9.9.9").exists()


def address(peer, forwarded=None):
    meta = {"REMOTE_ADDR": peer}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return client_ip(RequestFactory().get("/", **meta))


def test_the_rule_itself(settings):
    settings.FORWARDED_ALLOW_IPS = ["127.0.0.1", "::1", "10.0.0.0/8"]
    # From outside the list: the socket's address, whatever the header says.
    assert address("203.0.113.1", "198.51.100.1") == "203.0.113.1"
    assert address("11.0.0.1", "198.51.100.1") == "11.0.0.1"
    # From a proxy of ours: the right-most entry that is not a proxy of ours.
    assert address("127.0.0.1", "198.51.100.1") == "198.51.100.1"
    assert address("10.1.2.3", "1.2.3.4, 198.51.100.1, 10.0.0.5") == "198.51.100.1"
    assert address("::1", "2001:db8::7") == "2001:db8::7"
    assert address("::ffff:127.0.0.1", "198.51.100.1") == "198.51.100.1"
    assert address("127.0.0.1", "198.51.100.1:4711") == "198.51.100.1"
    assert address("127.0.0.1", "[2001:db8::7]:4711") == "2001:db8::7"
    # No header, an empty one, or only proxies: the farthest proxy.
    assert address("127.0.0.1") == "127.0.0.1"
    assert address("127.0.0.1", "") == "127.0.0.1"
    assert address("10.0.0.2", "10.0.0.1") == "10.0.0.1"
    # Garbage stops the walk at the hop that passed it on.
    assert address("127.0.0.1", "198.51.100.1, unknown") == "127.0.0.1"
    assert address("127.0.0.1", "unknown, 10.0.0.3") == "10.0.0.3"
    # A UNIX socket has no address: only this machine reaches it (gunicorn trusts it too).
    assert address("", "198.51.100.1") == "198.51.100.1"
    # "*" trusts any peer, but only for the one hop it appended.
    settings.FORWARDED_ALLOW_IPS = ["*"]
    assert address("203.0.113.1", "1.2.3.4, 198.51.100.1") == "198.51.100.1"
    # Switched off: the socket's address only.
    settings.USE_X_FORWARDED_FOR = False
    assert address("127.0.0.1", "198.51.100.1") == "127.0.0.1"


def test_a_proxy_list_that_is_not_addresses_is_refused_by_name(settings):
    settings.FORWARDED_ALLOW_IPS = ["127.0.0.1", "proxy.local"]
    with pytest.raises(ImproperlyConfigured, match="FORWARDED_ALLOW_IPS: 'proxy.local'"):
        address("127.0.0.1", "198.51.100.1")
