"""The test database, copied from a migrated template instead of migrated in every process.

Migrating an empty database takes 9 s of CPU (91 migrations: Django re-renders the models'
state between operations), and make test ran it seven times: in each of the two workers of the
SQLite and the PostgreSQL pass, in the browser tests, in the gates. The first process to need a
database migrates a template once; every process then copies it (a file copy on SQLite,
CREATE DATABASE … TEMPLATE on PostgreSQL, a fraction of a second), and Django's own migrate
then finds nothing to apply.

The template is named after what makes the schema: the text of every migration, the Django
version and the database engine. A changed migration makes a new template, so a stale schema
is never copied; a template with the same name is reused by a later run on the same machine.
Templates live in ``var/test-templates/`` of the checkout (shared by all passes: each pass's
LEADTRACKER_VAR_DIR is its own), serialised between processes by a file lock.
"""

import fcntl
import hashlib
import os
import shutil
import sqlite3
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

import django

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = ROOT / "var" / "test-templates"
POSTGRES_PREFIX = "leadtracker_test_template_"
POSTGRES_LOCK = 0x1EAD_7E57  # pg_advisory_lock's key for the templates, the same in every checkout


def schema_name() -> str:
    """What the migrations make, as a short hash: their files' text and Django's version."""
    digest = hashlib.sha256(django.get_version().encode())
    for path in sorted((ROOT / "leadtracker").glob("**/migrations/*.py")):
        digest.update(str(path.relative_to(ROOT)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


@contextmanager
def _locked(name: str):
    TEMPLATES.mkdir(parents=True, exist_ok=True)
    with open(TEMPLATES / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _migrate(url: str) -> None:
    """Migrate the database at ``url`` in a process of its own: this one's settings name the
    test database, and its app registry must not hold the migrations' historical models."""
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "leadtracker.settings"}
    env["LEADTRACKER_VAR_DIR"] = str(TEMPLATES / "var")
    subprocess.run(  # noqa: S603 — our own interpreter running Django's migrate
        [sys.executable, "-m", "django", "migrate", "--no-input", "-v", "0"], env=env, check=True
    )


def copy_into(connection, test_name: str | None = None) -> None:
    """Make ``connection``'s test database a copy of the migrated template, replacing any
    database of that name an earlier run left. ``test_name``: the database the connection is
    on now, during the tests (a test that migrated it back and forth restores it so, rather than
    migrating it forwards again: 5 s of CPU on SQLite); its connection is closed first."""
    vendor = connection.vendor
    if test_name is None:
        test_name = connection.creation._get_test_db_name()
    else:
        connection.close()
    name = f"{vendor}-{schema_name()}"
    with _locked(name):
        if vendor == "sqlite":
            _copy_sqlite(name, Path(test_name))
        elif vendor == "postgresql":
            _copy_postgresql(connection, f"{POSTGRES_PREFIX}{schema_name()}", test_name)
        else:
            raise NotImplementedError(vendor)


def copy_sqlite_to(target: Path) -> None:
    """Make the SQLite file ``target`` a copy of the migrated template: the device agent's tests
    start their server process on one (agent/tests/support.py) instead of migrating it."""
    name = f"sqlite-{schema_name()}"
    with _locked(name):
        _copy_sqlite(name, Path(target))


def _copy_sqlite(name: str, target: Path) -> None:
    template = TEMPLATES / f"{name}.sqlite3"
    if not template.exists():
        building = template.with_suffix(".building")
        for leftover in TEMPLATES.glob("sqlite-*.sqlite3"):
            leftover.unlink()
        building.unlink(missing_ok=True)
        _migrate(f"sqlite:///{building}")
        # One file: the write-ahead log folded in and turned off, so a copy is whole.
        with sqlite3.connect(building) as db:
            db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            db.execute("PRAGMA journal_mode=DELETE")
        db.close()
        building.rename(template)
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(template, target)


def _copy_postgresql(connection, template: str, test_name: str) -> None:
    import psycopg  # only where PostgreSQL is the database

    params = connection.get_connection_params()
    params["dbname"] = "postgres"
    with psycopg.connect(**params, autocommit=True) as admin:
        # The file lock serialises the processes of one checkout; other checkouts on the same
        # server (another branch, with other migrations) build and drop templates too, so the
        # build, the copy and the drops also hold a lock of the server's (released on return).
        admin.execute("SELECT pg_advisory_lock(%s)", [POSTGRES_LOCK])
        try:
            exists = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [template]).fetchone()
            if not exists:
                _build_postgresql(admin, connection.settings_dict, template)
            admin.execute(f'DROP DATABASE IF EXISTS "{test_name}" WITH (FORCE)')
            admin.execute(f'CREATE DATABASE "{test_name}" TEMPLATE "{template}"')
        finally:
            admin.execute("SELECT pg_advisory_unlock(%s)", [POSTGRES_LOCK])


def _build_postgresql(admin, settings: dict, template: str) -> None:
    building = f"{template}_building"
    # Stale templates are dropped, except the newest two of other names (by oid, which grows as
    # databases are made): another checkout's, which it would otherwise build again (9 s of CPU)
    # each time the two took turns.
    stale = admin.execute(
        "SELECT datname FROM pg_database WHERE starts_with(datname, %s) AND datname <> %s "
        "ORDER BY oid DESC OFFSET 2",
        [POSTGRES_PREFIX, template],
    ).fetchall()
    for (old,) in [*stale, (building,)]:
        admin.execute(f'DROP DATABASE IF EXISTS "{old}" WITH (FORCE)')
    admin.execute(f'CREATE DATABASE "{building}"')
    user = quote(settings.get("USER") or "", safe="")
    password = f":{quote(settings['PASSWORD'], safe='')}" if settings.get("PASSWORD") else ""
    at = f"{user}{password}@" if user else ""
    host = settings.get("HOST") or "localhost"
    port = f":{settings['PORT']}" if settings.get("PORT") else ""
    _migrate(f"postgres://{at}{host}{port}/{building}")
    admin.execute(f'ALTER DATABASE "{building}" RENAME TO "{template}"')
