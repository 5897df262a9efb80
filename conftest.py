"""Shared test fixtures: named people in two organisations, and the no-skip rule for CI."""

import os

import pytest

from leadtracker.testing import CLOCKS, login_client, make_org, token_client

SKIPPED: list[str] = []


def pytest_configure(config):
    # argon2 takes a quarter of a second a password by design, and the suite makes hundreds of
    # organisations and members: tests hash with MD5 first (argon2 hashes still verify).
    # accounts/tests/test_login.py holds production's own hashers to argon2.
    from django.conf import settings
    from django.contrib.auth import hashers

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *settings.PASSWORD_HASHERS]
    hashers.get_hashers.cache_clear()
    hashers.get_hashers_by_algorithm.cache_clear()


def pytest_runtest_logreport(report):
    if report.skipped:
        SKIPPED.append(report.nodeid)


def pytest_sessionfinish(session, exitstatus):
    # In CI a skipped test is a missing test: fail the run and name them.
    if os.environ.get("CI") == "true" and SKIPPED:
        print("\nSkipped tests are not allowed in CI:\n  " + "\n  ".join(SKIPPED))
        session.exitstatus = 1


def pytest_collection_modifyitems(items):
    # The clock moves before anything else is set up: an organisation, a shift or a call made
    # by another fixture belongs to the moved day, not to the real one.
    for item in items:
        names = getattr(item, "fixturenames", None)
        if names and "frozen_at" in names:
            names.remove("frozen_at")
            names.insert(0, "frozen_at")


@pytest.fixture
def frozen_at(request):
    """The clock at the instant named by the test's parameter (leadtracker.testing.CLOCKS),
    ticking on from there: rows saved one after another still get later times."""
    import datetime as dt

    import time_machine

    at = dt.datetime.fromisoformat(CLOCKS[request.param])
    with time_machine.travel(at, tick=True):
        yield at


@pytest.fixture
def acme(db):
    return make_org("acme")


@pytest.fixture
def globex(db):
    return make_org("globex")


@pytest.fixture
def as_member():
    return login_client


@pytest.fixture
def api_as():
    return token_client
