"""An import's batches but the last commit without waiting for the disk on PostgreSQL
(imports/writer.unflushed_commits); the last one waits, which flushes them all, and the
connection is left as it was found. SQLite's commits are left alone."""

import csv

import pytest
from django.db import connection

from leadtracker.accounts.audit import Actor
from leadtracker.leads.imports import importer as importer_module
from leadtracker.leads.imports.importer import Importer
from leadtracker.leads.imports.mapping import guess_mapping
from leadtracker.leads.imports.reader import open_table
from leadtracker.leads.models import Lead


def setting() -> str:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW synchronous_commit")
        else:
            cursor.execute("PRAGMA synchronous")
        return str(cursor.fetchone()[0])


@pytest.mark.django_db(transaction=True)
def test_only_the_last_batch_waits_for_the_disk(acme, tmp_path, monkeypatch):
    monkeypatch.setattr(importer_module, "BATCH", 10)
    path = tmp_path / "leads.csv"
    with open(path, "w", newline="", encoding="utf-8") as fh:
        out = csv.writer(fh)
        out.writerow(["Name", "Mobile"])
        for i in range(25):
            out.writerow([f"Customer {i}", f"98{i:08d}"])
    before = setting()
    seen = []

    def progress(fraction, counts, last):
        seen.append((setting(), last))

    table = open_table(str(path))
    try:
        counts = Importer(acme.org, mapping=guess_mapping(table.headers), actor=Actor.system()).run(
            table, on_progress=progress
        )
    finally:
        table.close()
    assert counts.created == 25 == Lead.objects.filter(organisation=acme.org).count()
    if connection.vendor == "postgresql":
        assert before == "on"
        assert seen == [("off", False), ("off", False), ("on", True)]
    else:
        assert seen == [(before, False), (before, False), (before, True)]
    assert setting() == before
