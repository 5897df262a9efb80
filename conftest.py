"""Shared test fixtures: named people in two organisations, and the no-skip rule for CI."""

import os
import sys

import pytest

from leadtracker.testing import CLOCKS, login_client, make_lead, make_org, token_client

SKIPPED: list[str] = []
# A test slower than this (its call and teardown) carries @pytest.mark.slow(reason=…)
# saying why (issue 16). The browser tests (e2e/) and the agent's are not held to it.
SLOW_SECONDS = 5.0
SLOW_UNMARKED: dict[str, float] = {}


# Fixtures through which a test reaches the test database (or a server on it).
DATABASE_FIXTURES = {"db", "transactional_db", "django_db_setup", "live_server"}


def pytest_addoption(parser):
    parser.addoption(
        "--database-tests-only",
        action="store_true",
        help="leave out the tests that ask for no database (make test's PostgreSQL pass: they ran on SQLite)",
    )


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "slow(reason): over 5 s on a quiet machine; reason says why (see SLOW_SECONDS)"
    )
    config.addinivalue_line(
        "markers",
        "same_on_every_database(reason): uses the database, but what it checks is worked out in Python;"
        " the PostgreSQL pass of make test leaves it to the SQLite pass (--database-tests-only)",
    )
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
    # Setup is left out: the first test to use the database pays for making it (migrations).
    if report.when != "setup" and report.nodeid.startswith("leadtracker/") and "slow" not in report.keywords:
        SLOW_UNMARKED[report.nodeid] = SLOW_UNMARKED.get(report.nodeid, 0.0) + report.duration


def pytest_terminal_summary(terminalreporter):
    # Named, not failed: on a loaded machine any test can pass 5 s now and then.
    over = sorted(((t, n) for n, t in SLOW_UNMARKED.items() if t > SLOW_SECONDS), reverse=True)
    if over:
        terminalreporter.section(f"tests over {SLOW_SECONDS:g} s without @pytest.mark.slow(reason=...)")
        for seconds, nodeid in over:
            terminalreporter.write_line(f"{seconds:6.1f} s  {nodeid}")


def pytest_sessionfinish(session, exitstatus):
    # In CI a skipped test is a missing test: fail the run and name them.
    if os.environ.get("CI") == "true" and SKIPPED:
        print("\nSkipped tests are not allowed in CI:\n  " + "\n  ".join(SKIPPED))
        session.exitstatus = 1


def pytest_collection_modifyitems(config, items):
    if config.getoption("database_tests_only"):
        _leave_out_tests_without_a_database(config, items)
    # The files that hold a slow test go first: make test's workers (pytest-xdist, a whole file
    # to a worker, in this order) then end together, where a 30-s file dealt last kept one
    # worker busy while the other had finished. Within a file the order is the author's.
    slow_files = {item.path for item in items if item.get_closest_marker("slow")}
    items.sort(key=lambda item: item.path not in slow_files)
    for item in items:
        for name in ("slow", "same_on_every_database"):
            for mark in item.iter_markers(name):
                if not mark.kwargs.get("reason"):
                    raise pytest.UsageError(f"{item.nodeid}: @pytest.mark.{name} needs reason=… (why)")
    # The clock moves before anything else is set up: an organisation, a shift or a call made
    # by another fixture belongs to the moved day, not to the real one.
    for item in items:
        names = getattr(item, "fixturenames", None)
        if names and "frozen_at" in names:
            names.remove("frozen_at")
            names.insert(0, "frozen_at")


def _leave_out_tests_without_a_database(config, items):
    """A test that asks for no database (the code's shape, settings read by a fresh process, a
    command started with a database of its own) answers the same whichever database the pass
    has, as does one marked same_on_every_database: the PostgreSQL pass leaves them to the
    SQLite pass, where they run. Left out, they are counted as deselected, never as skipped."""
    kept, left = [], []
    for item in items:
        asks = set(getattr(item, "fixturenames", ())) & DATABASE_FIXTURES
        same = item.get_closest_marker("same_on_every_database")
        (kept if (asks or item.get_closest_marker("django_db")) and not same else left).append(item)
    if left:
        config.hook.pytest_deselected(items=left)
        items[:] = kept


@pytest.fixture(scope="session")
def django_db_setup(
    request, django_test_environment, django_db_blocker, django_db_keepdb, django_db_modify_db_settings
):
    """pytest-django's, but the test database starts as a copy of a migrated template
    (leadtracker/test_database.py) instead of being migrated in every worker; Django's migrate
    then has nothing to apply."""
    from django.db import connections
    from django.test.utils import setup_databases, teardown_databases

    from leadtracker import test_database

    verbosity = request.config.option.verbose
    with django_db_blocker.unblock():
        test_database.copy_into(connections["default"])
        config = setup_databases(verbosity=verbosity, interactive=False, keepdb=True)
    yield
    if not django_db_keepdb:
        with django_db_blocker.unblock():
            teardown_databases(config, verbosity=verbosity)


@pytest.fixture(scope="session", autouse=True)
def static_files_listed_once():
    """WhiteNoise lists and stats every static file (149 of them, with their headers) each time
    its middleware is made, and Django's test client makes the middleware anew for every client:
    some 2,000 times a pass, 8 ms each. The list is made once and handed to every middleware made
    with the same settings; what a request is answered is unchanged (the same StaticFile objects
    WhiteNoise would have built, shared as it shares them between its own requests)."""
    from django.conf import settings
    from whitenoise.middleware import WhiteNoiseMiddleware

    scan = WhiteNoiseMiddleware.add_files_from_finders
    listed: dict = {}

    def add_files_from_finders(self):
        key = (
            self.max_age,
            self.allow_all_origins,
            self.charset,
            self.static_prefix,
            self.add_headers_function,
            tuple(map(str, settings.STATICFILES_DIRS)),
        )
        if key not in listed:
            own, self.files = self.files, {}
            scan(self)
            listed[key], self.files = self.files, own
        self.files.update(listed[key])

    WhiteNoiseMiddleware.add_files_from_finders = add_files_from_finders
    yield
    WhiteNoiseMiddleware.add_files_from_finders = scan


@pytest.fixture(scope="session", autouse=True)
def postgres_flush_deletes():
    """On PostgreSQL a test that commits (transactional_db, live_server) is cleaned up by Django's
    flush, one TRUNCATE of every table: that makes each table's and index's files anew, 4.7-5.8 s
    at load 14 for an organisation's rows, where DELETE FROM each table took 0.3-0.8 s at the
    same moment. The flush deletes instead, in the same transaction: every foreign key
    Django makes on PostgreSQL is DEFERRABLE INITIALLY DEFERRED, so the order of the tables does
    not matter; no trigger refuses a DELETE (the privacy triggers refuse UPDATEs; the lead counts'
    one updates a count table the flush empties too); sequences are kept, as TRUNCATE without
    RESTART IDENTITY keeps them. A flush asked to reset sequences or to cascade is Django's own."""
    from django.conf import settings

    if "postgresql" not in settings.DATABASES["default"]["ENGINE"]:
        yield
        return
    from django.db.backends.postgresql.operations import DatabaseOperations

    truncate = DatabaseOperations.sql_flush

    def sql_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):
        if reset_sequences or allow_cascade:
            return truncate(self, style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade)
        delete = style.SQL_KEYWORD("DELETE FROM")
        return [f"{delete} {style.SQL_FIELD(self.quote_name(table))};" for table in tables]

    DatabaseOperations.sql_flush = sql_flush
    yield
    DatabaseOperations.sql_flush = truncate


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


@pytest.fixture
def new_lead():
    """new_lead(people, by=member, **fields) -> Lead, through the real action (testing.make_lead)."""
    return make_lead


@pytest.fixture(autouse=True)
def throttle_counts_start_afresh():
    """A process counts API requests in memory before the shared table (accounts/throttle.py);
    a test's rows go with its transaction or the flush after it, so its counts go too."""
    yield
    # Looked up, not imported: this file is read before Django is set up (and by the agent's
    # tests, which have no Django); a process that never loaded the throttle counted nothing.
    throttle = sys.modules.get("leadtracker.accounts.throttle")
    if throttle is not None:
        throttle.forget()
