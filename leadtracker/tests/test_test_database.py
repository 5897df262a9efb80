"""The test database is a copy of a migrated template (leadtracker/test_database.py): the
template's name follows every migration's text, so a changed migration is never answered with
a stale schema."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from leadtracker import test_database


def test_the_template_name_follows_the_migrations_text(tmp_path, monkeypatch):
    migrations = tmp_path / "leadtracker" / "leads" / "migrations"
    migrations.mkdir(parents=True)
    first = migrations / "0001_initial.py"
    first.write_text("operations = []\n")
    monkeypatch.setattr(test_database, "ROOT", tmp_path)
    before = test_database.schema_name()

    first.write_text("operations = ['changed']\n")
    changed = test_database.schema_name()
    (migrations / "0002_more.py").write_text("operations = []\n")
    added = test_database.schema_name()

    assert len({before, changed, added}) == 3
    first.write_text("operations = []\n")
    (migrations / "0002_more.py").unlink()
    assert test_database.schema_name() == before


@pytest.mark.django_db
def test_the_copied_database_has_every_migration_applied():
    executor = MigrationExecutor(connection)
    assert executor.migration_plan(executor.loader.graph.leaf_nodes()) == []
