"""Database connections are kept between requests (settings: DB_CONN_MAX_AGE, 600 s by default,
with Django's health check), so a served request does not pay for a connect; on PostgreSQL the
check reads the socket instead of asking the server (lib/postgresql/base.py); `leadtracker
serve` warns when its workers' connections would not fit in PostgreSQL's limit."""

import time

import psycopg
import pytest
from django.conf import settings
from django.core.handlers.wsgi import WSGIHandler
from django.core.management import call_command
from django.db import connection
from django.test import RequestFactory

from leadtracker.accounts.management.commands.serve import OTHER_CONNECTIONS, connections_warning
from leadtracker.lib import database


def serve(handler: WSGIHandler, path: str) -> int:
    """One request through the whole WSGI cycle, as gunicorn runs it: request_started, the
    view, and request_finished (where Django closes old connections) when the body is closed."""
    statuses = []
    body = handler(RequestFactory().get(path).environ, lambda status, headers: statuses.append(status))
    b"".join(body)
    body.close()
    return int(statuses[0].split()[0])


def test_connections_are_kept_and_checked_by_default():
    conf = settings.DATABASES["default"]
    assert conf["CONN_MAX_AGE"] == 600
    assert conf["CONN_HEALTH_CHECKS"] is True


@pytest.mark.django_db(transaction=True)
def test_the_next_request_uses_the_connection_the_last_one_opened():
    handler = WSGIHandler()
    # The first may close a connection an earlier test left behind (opened under a moved clock).
    assert serve(handler, "/api/v1/health") == 200
    assert serve(handler, "/api/v1/health") == 200
    kept = connection.connection
    assert kept is not None  # not closed when the request finished
    assert serve(handler, "/api/v1/health") == 200
    assert connection.connection is kept


@pytest.mark.django_db(transaction=True)
def test_the_check_asks_the_server_nothing_and_a_session_it_ended_is_replaced():
    handler = WSGIHandler()
    assert serve(handler, "/api/v1/health") == 200
    kept = connection.connection
    if connection.vendor != "postgresql":
        assert connection.is_usable()  # SQLite: a file, no server to lose
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT 'the last statement'")
    pid = kept.info.backend_pid
    params = {k: v for k, v in connection.get_connection_params().items() if k != "cursor_factory"}
    with psycopg.connect(**params, autocommit=True) as other:

        def last_statement():
            row = other.execute("SELECT query FROM pg_stat_activity WHERE pid = %s", [pid]).fetchone()
            return row and row[0]

        assert connection.is_usable()
        assert last_statement() == "SELECT 'the last statement'"  # no SELECT 1 was sent
        # The server ends the session (as a restart or pg_terminate_backend does): the next
        # request gets a new connection and its answer, not an error from the dead one.
        other.execute("SELECT pg_terminate_backend(%s)", [pid])
        deadline = time.monotonic() + 10
        while last_statement() and time.monotonic() < deadline:
            time.sleep(0.05)
    assert serve(handler, "/api/v1/health") == 200
    assert connection.connection is not kept
    assert connection.connection.info.backend_pid != pid


def test_serve_warns_when_the_workers_connections_do_not_fit():
    assert connections_warning(10 - OTHER_CONNECTIONS, 10) is None
    assert connections_warning(12, None) is None  # SQLite: no server to run out of
    warning = connections_warning(10 - OTHER_CONNECTIONS + 1, 10)
    assert warning.startswith("8 workers keep 8 database connections")
    assert "11 > the 10 PostgreSQL allows" in warning


@pytest.mark.django_db
def test_the_connection_limit_is_read_from_postgresql_and_none_on_sqlite():
    limit = database.connection_limit()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW max_connections")
            assert 0 < limit < int(cursor.fetchone()[0])
    else:
        assert limit is None
    call_command("check")  # the settings' database block passes Django's own checks
