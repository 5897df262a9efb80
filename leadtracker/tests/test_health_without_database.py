"""With its database unreachable, a running server's health check says so: 503 and JSON naming
the database, not an HTML error page; the driver's own words go to the server's log only.

A real gunicorn with production settings, in its own process, against a PostgreSQL port where
nothing listens and against a SQLite file whose directory disappears while it serves.
"""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from leadtracker.accounts.tests.test_serve import answers, free_port, get, production_env

PROXIED = {"X-Forwarded-Proto": "https"}  # as the TLS proxy on this host sends it


@pytest.fixture
def start_server(tmp_path):
    started = []

    def start(database_url):
        port = free_port()
        env = production_env(tmp_path / "var", DATABASE_URL=database_url)
        gunicorn = Path(sys.executable).parent / "gunicorn"
        process = subprocess.Popen(
            [str(gunicorn), "leadtracker.wsgi:application", f"--bind=127.0.0.1:{port}", "--workers=1"],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        started.append(process)
        base = f"http://127.0.0.1:{port}"
        if answers(process, base, PROXIED):  # answers without the database
            return process, base
        pytest.fail("gunicorn did not answer within 90 s")

    yield start
    for process in started:
        if process.poll() is None:
            process.kill()
        process.communicate()


def health(base):
    status, headers, body = get(f"{base}/api/v1/health", PROXIED)
    assert headers["Content-Type"] == "application/json; charset=utf-8", body[:200]
    return status, json.loads(body)


def log_of(process) -> str:
    process.terminate()
    _out, err = process.communicate(timeout=60)
    return err


def test_postgresql_where_nothing_listens_answers_503_naming_the_database(start_server):
    process, base = start_server("postgres://lt:s3cret-pw@127.0.0.1:1/leadtracker")
    status, answer = health(base)
    assert status == 503
    assert answer["status"] == "error" and answer["database"] == "unreachable: OperationalError"
    log = log_of(process)
    assert "health: PostgreSQL lt@127.0.0.1:1/leadtracker is unreachable: connection" in log
    assert "s3cret-pw" not in log


def test_sqlite_whose_directory_goes_away_answers_503_then(start_server, tmp_path):
    (tmp_path / "db").mkdir()
    process, base = start_server(f"sqlite:///{tmp_path / 'db' / 'lt.sqlite3'}")
    assert health(base) == (200, {"status": "ok", "version": "1", "database": "ok"})
    (tmp_path / "db").rename(tmp_path / "moved")
    status, answer = health(base)
    assert status == 503
    assert answer == {"status": "error", "version": "1", "database": "unreachable: OperationalError"}
    path = tmp_path / "db" / "lt.sqlite3"
    assert f"health: SQLite {path} is unreachable: unable to open" in log_of(process)
