"""`leadtracker backup` and `leadtracker restore`: a real backup file, restored by the real
command in its own process into a database of its own (never the test database), on SQLite and
PostgreSQL. Then the acceptance test: erase, restore an older backup, replay — the person is
gone again. One test restores both backups, the newer first (each restore is a process that
starts Django and migrates: the two tests restored three times, this one twice)."""

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection

from leadtracker.accounts.audit import Actor
from leadtracker.leads.models import Lead
from leadtracker.privacy.erasure.actions import erase_lead
from leadtracker.testing import make_lead

LEADTRACKER = str(Path(sys.executable).with_name("leadtracker"))


@pytest.fixture
def target(tmp_path):
    """A database of our own to restore into, and how to read it back."""
    if connection.vendor == "sqlite":
        path = tmp_path / "restored.sqlite3"

        def query(sql):
            with sqlite3.connect(path) as db:
                return db.execute(sql).fetchall()

        yield f"sqlite:///{path}", query
        return
    import psycopg

    db = connection.settings_dict
    server = f"postgresql://{db['USER']}@{db['HOST']}:{db['PORT']}"
    # Named after this run's test database: a fixed name was dropped under a restore of another
    # run on the same server (a clean-clone CI beside helpers' PostgreSQL runs, 7 Dec 2026).
    restore_db = f"{db['NAME']}_restore"
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{restore_db}"')
        admin.execute(f'CREATE DATABASE "{restore_db}"')

    def query(sql):
        with psycopg.connect(f"{server}/{restore_db}") as conn:
            return conn.execute(sql).fetchall()

    yield f"{server}/{restore_db}", query
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{restore_db}" WITH (FORCE)')


def run_restore(url, backup_file, ledger_file, settings):
    env = dict(
        os.environ,
        DATABASE_URL=url,
        SECRET_KEY=settings.SECRET_KEY,
        ERASURE_LEDGER_PATH=str(ledger_file),
        LEADTRACKER_VAR_DIR=str(ledger_file.parent),
    )
    return subprocess.run(
        [LEADTRACKER, "restore", str(backup_file), "--yes"],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.mark.slow(reason="restores into a database of its own twice, each restore a migrated process")
@pytest.mark.django_db(transaction=True)
def test_restore_a_backup_then_an_older_one_and_the_erased_person_is_gone_again(
    acme, tmp_path, target, ledger_file, settings
):
    person = make_lead(
        acme, name="Suresh Menon", phone="+919833333333", email="suresh@example.in", actor=Actor.system()
    )
    other = make_lead(acme, name="Anita Desai", phone="+919844444444", actor=Actor.system())
    older = tmp_path / "older.bin"
    call_command("backup", out=str(older))

    erase_lead(person, actor=Actor.for_user(acme.olga.user), by=acme.olga)
    assert Lead.objects.get(pk=person.pk).erased_at is not None
    assert ledger_file.read_text().count("\n") == 1
    newer = tmp_path / "newer.bin"
    call_command("backup", out=str(newer))
    assert newer.stat().st_size > 0 and oct(newer.stat().st_mode)[-3:] == "600"
    make_lead(acme, name="After The Backup", phone="+919822222222", actor=Actor.system())

    # The newer backup comes back as it was taken: what came after it is not there, and the
    # erasure it already holds has nothing left to replay.
    url, query = target
    result = run_restore(url, newer, ledger_file, settings)
    assert result.returncode == 0, result.stderr
    assert "Restored" in result.stdout and "Erasures replayed: 0 leads" in result.stdout, result.stdout
    names = {row[0] for row in query("SELECT name FROM leads_lead")}
    assert "Anita Desai" in names and "After The Backup" not in names
    assert query(f"SELECT e164 FROM leads_leadphone WHERE lead_id = {other.pk}") == [("+919844444444",)]

    # The older one, restored over it, predates the erasure: its ledger table lacks it, the
    # file brings it back.
    result = run_restore(url, older, ledger_file, settings)
    assert result.returncode == 0, result.stderr
    assert "Erasures replayed: 1 leads" in result.stdout, result.stdout
    assert "1 rows restored to the table" in result.stdout, result.stdout

    rows = query(f"SELECT name, email, phone, erased_at FROM leads_lead WHERE id = {person.pk}")
    assert rows and rows[0][:3] == ("", "", "") and rows[0][3] is not None
    assert query(f"SELECT COUNT(*) FROM leads_leadphone WHERE lead_id = {person.pk}") == [(0,)]
    assert query(f"SELECT name FROM leads_lead WHERE id = {other.pk}") == [("Anita Desai",)]
    assert query("SELECT COUNT(*) FROM privacy_erasurerecord") == [(1,)]

    # Replaying again changes nothing: an erased person has nothing left to match.
    env = dict(
        os.environ, DATABASE_URL=url, SECRET_KEY=settings.SECRET_KEY, ERASURE_LEDGER_PATH=str(ledger_file)
    )
    replay = subprocess.run(
        [LEADTRACKER, "privacy", "replay-erasures"], env=env, capture_output=True, text=True, timeout=300
    )
    assert replay.returncode == 0, replay.stderr
    assert "leads: 0" in replay.stdout and "rows restored: 0" in replay.stdout, replay.stdout
    assert ledger_file.read_text().count("\n") == 1  # the one erasure, replayed, not written again
