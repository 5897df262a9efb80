"""One throttle, one counter: failed attempts (login, pairing) and API requests all count in
RateCounter through accounts/throttle.py, and lib reaches up into no app to find a model."""

import re
from pathlib import Path

from django.test import Client

from leadtracker.accounts import throttle
from leadtracker.accounts.models import RateCounter

LIB = Path(__file__).resolve().parents[2] / "lib"


def test_failed_logins_pairings_and_api_requests_count_in_one_table(acme, api_as, settings):
    settings.LOGIN_THROTTLE_PER_ACCOUNT = 2
    for _ in range(2):
        Client().post(
            "/login/", {"email": "alice@acme.test", "password": "wrong"}, REMOTE_ADDR="198.51.100.3"
        )
    assert throttle.login_blocked("alice@acme.test", "198.51.100.9")
    assert RateCounter.objects.filter(hits=2).count() == 2  # the account's and the address's

    Client().post(
        "/api/v1/devices/pair",
        {"code": "000000", "name": "x"},
        "application/json",
        REMOTE_ADDR="198.51.100.4",
    )
    assert throttle.count(throttle.PAIRING, ip="198.51.100.4") == 1

    before = RateCounter.objects.count()
    api_as(acme.alice).get("/api/v1/me")
    assert RateCounter.objects.count() == before + 1  # the user's request window

    throttle.clear_account_failures("Alice@Acme.test ")
    assert not throttle.login_blocked("alice@acme.test", "198.51.100.9")


def test_lib_finds_no_model_of_a_higher_app():
    reaching = [
        path.name
        for path in LIB.rglob("*.py")
        if re.search(r"\bapps\.get_model\(|from django\.apps import apps", path.read_text())
    ]
    assert reaching == []
