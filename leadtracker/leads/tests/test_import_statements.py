"""An import's statements per batch are pinned, and do not grow with the batch's size: the
duplicate look-ups, the leads, numbers, timeline, consent and webhook rows are each a fixed
number of statements whether a batch holds 25 rows or 100."""

import csv

import pytest
from django.db import connection

from leadtracker.accounts.audit import Actor
from leadtracker.leads.imports import importer as importer_module
from leadtracker.leads.imports.importer import Importer
from leadtracker.leads.imports.mapping import guess_mapping
from leadtracker.leads.imports.reader import open_table
from leadtracker.leads.models import Lead

BATCHES = 3


def write_sheet(path, rows, first):
    with open(path, "w", newline="", encoding="utf-8") as fh:
        out = csv.writer(fh)
        out.writerow(["Name", "Mobile", "Email", "Source", "Remarks"])
        for i in range(first, first + rows):
            phone = f"98{i:08d}" if i % 25 != 7 else "12345"  # a broken number now and then
            if i % 20 == 19:
                phone = f"+91 98{i - 10:08d}"  # a duplicate of a row of the same batch
            out.writerow(
                [
                    f"Customer {i}",
                    phone,
                    f"c{i}@example.in" if i % 10 == 0 else "",
                    ["IndiaMART", "JustDial", ""][i % 3],
                    "Call after 6pm" if i % 7 == 0 else "",
                ]
            )


def statements_of_an_import(org, path, batch, monkeypatch):
    monkeypatch.setattr(importer_module, "BATCH", batch)
    table = open_table(str(path))
    run = Importer(org, mapping=guess_mapping(table.headers), actor=Actor.system())
    seen = []

    def count(execute, sql, params, many, context):
        seen.append(sql[:60])
        return execute(sql, params, many, context)

    try:
        with connection.execute_wrapper(count):
            counts = run.run(table)
    finally:
        table.close()
    return len(seen), counts


@pytest.mark.django_db
def test_statements_per_batch_do_not_grow_with_the_batch(acme, tmp_path, monkeypatch):
    small, large, first = tmp_path / "small.csv", tmp_path / "large.csv", tmp_path / "first.csv"
    # The organisation's first import makes its sources: once, not per batch.
    write_sheet(first, 10, first=900_000)
    _, first_counts = statements_of_an_import(acme.org, first, 50, monkeypatch)
    write_sheet(small, 25 * BATCHES, first=0)
    write_sheet(large, 100 * BATCHES, first=100_000)
    small_statements, small_counts = statements_of_an_import(acme.org, small, 25, monkeypatch)
    large_statements, large_counts = statements_of_an_import(acme.org, large, 100, monkeypatch)
    assert small_counts.created > 2 * 25 and large_counts.created > 2 * 100
    assert small_counts.errors and small_counts.duplicates
    stored = Lead.objects.filter(organisation=acme.org).count()
    assert stored == first_counts.created + small_counts.created + large_counts.created
    # Both imports ran three batches and the last, empty, commit; a batch's statements are the
    # same in number at 25 rows and at 100.
    assert small_statements == large_statements, (small_statements, large_statements)
    # Pinned, statement by statement (a test's transaction makes each batch's transaction a
    # savepoint): the savepoint, the one duplicate look-up, the savepoint of the batch's writes
    # (a number taken meanwhile sends them one lead at a time), the rules' look-up, the leads
    # (on PostgreSQL their ids from the sequence first, then COPY), their numbers and timeline
    # rows, the calls and call-backs waiting for the numbers (one statement), and the two
    # releases; the webhook subscribers are read once an import.
    per_batch = {"postgresql": 11, "sqlite": 10}[connection.vendor]
    assert small_statements == per_batch * BATCHES + 1, (small_statements, per_batch)
