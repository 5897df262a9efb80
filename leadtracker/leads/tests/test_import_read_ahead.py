"""An import reads and cleans its next batch in a thread while the current one is written
(imports/ahead.py; on PostgreSQL only, in the importing thread elsewhere): the thread's words
are the importer's language, a source it meets first is made once by the importing thread, and
an import that fails stops the thread. Each test runs both ways on either database."""

import threading

import pytest
from django.db import connection
from django.utils.translation import override

from leadtracker.accounts.audit import Actor
from leadtracker.leads.imports import ahead
from leadtracker.leads.imports import importer as importer_module
from leadtracker.leads.imports.importer import Importer
from leadtracker.leads.imports.mapping import guess_mapping
from leadtracker.leads.imports.reader import UnreadableFile, open_table
from leadtracker.leads.models import Lead, LeadSource
from leadtracker.lib.stored_text import recipe_of, recording


@pytest.fixture(autouse=True, params=["in a thread", "in the importing thread"])
def reading(request, monkeypatch):
    threaded = request.param == "in a thread"
    monkeypatch.setattr(ahead, "THREAD_FOR", frozenset({connection.vendor} if threaded else ()))
    return threaded


def _import(org, path, *, on_progress=None):
    issues = []
    table = open_table(str(path))
    try:
        mapping = guess_mapping(table.headers)
        run = Importer(org, mapping=mapping, actor=Actor.system(), issue_sink=issues.append)
        counts = run.run(table, on_progress=on_progress)
    finally:
        table.close()
    return counts, issues


def _readers_alive() -> list:
    return [t for t in threading.enumerate() if t.name == "import-read-ahead"]


@pytest.mark.django_db
def test_a_broken_line_read_ahead_is_reported_in_the_importers_language(acme, tmp_path, monkeypatch):
    monkeypatch.setattr(importer_module, "BATCH", 5)
    path = tmp_path / "leads.csv"
    lines = [f"Customer {i},98765{i:05d}" for i in range(12)]
    path.write_text("Name,Mobile\n" + "\n".join(lines) + '\n"Open quote,9876599999\n', encoding="utf-8")
    with override("hi"), recording():
        counts, issues = _import(acme.org, path)
    assert (counts.rows, counts.created, counts.errors) == (13, 12, 1)
    (issue,) = issues
    assert issue.reason == 'कोट (") बंद नहीं हुआ (यह लाइन फ़ाइल के आख़िर तक चली गई)'
    # Recorded, as the worker records the importing thread's words, for a reader of another language.
    assert recipe_of(issue.reason)["id"] == "unclosed quote (the row runs to the end of the file)"
    assert not _readers_alive()


@pytest.mark.django_db
def test_a_source_first_met_by_the_reading_thread_is_made_once(acme, tmp_path, monkeypatch):
    monkeypatch.setattr(importer_module, "BATCH", 4)
    path = tmp_path / "leads.csv"
    spellings = ("Trade Fair 2026", "trade fair 2026 ")
    rows = [f"Customer {i},98766{i:05d},{spellings[i % 2]}" for i in range(20)]
    path.write_text("Name,Mobile,Source\n" + "\n".join(rows) + "\n", encoding="utf-8")
    counts, _issues = _import(acme.org, path)
    assert counts.created == 20
    (source,) = LeadSource.objects.filter(organisation=acme.org, name__iexact="trade fair 2026")
    assert Lead.objects.filter(organisation=acme.org, source=source).count() == 20


@pytest.mark.django_db
def test_an_import_that_fails_stops_its_reading_thread_and_keeps_the_batches_committed(
    acme, tmp_path, monkeypatch
):
    monkeypatch.setattr(importer_module, "BATCH", 10)
    path = tmp_path / "leads.csv"
    rows = [f"Customer {i},98767{i:05d}" for i in range(100)]
    path.write_text("Name,Mobile\n" + "\n".join(rows) + "\n", encoding="utf-8")
    seen = []

    def progress(fraction, counts, last):
        seen.append(counts.rows)
        if len(seen) == 2:
            raise RuntimeError("the worker died")

    before = Lead.objects.filter(organisation=acme.org).count()
    with pytest.raises(RuntimeError, match="the worker died"):
        _import(acme.org, path, on_progress=progress)
    # The first batch committed with its progress; the second rolled back with it.
    assert seen == [10, 20]
    assert Lead.objects.filter(organisation=acme.org).count() == before + 10
    assert not _readers_alive()


@pytest.mark.django_db
def test_a_file_that_stops_being_readable_fails_after_the_batches_before_it(acme, tmp_path, monkeypatch):
    monkeypatch.setattr(importer_module, "BATCH", 10)
    path = tmp_path / "leads.csv"
    good = "".join(f"Customer {i},98768{i:05d}\n" for i in range(30))
    broken = "".join(f'"Lead {n},97{n:08d}\n' for n in range(1100))  # quotes never closed
    path.write_text("Name,Mobile\n" + good + broken, encoding="utf-8")
    before = Lead.objects.filter(organisation=acme.org).count()
    table = open_table(str(path))
    issues = []
    run = Importer(
        acme.org, mapping=guess_mapping(table.headers), actor=Actor.system(), issue_sink=issues.append
    )
    try:
        with pytest.raises(UnreadableFile, match="too many unreadable lines in a row"):
            run.run(table)
    finally:
        table.close()
    # The reading thread's failure is raised where the reading stopped: after the three batches
    # read before it were written, and after the unreadable lines it read were reported.
    assert Lead.objects.filter(organisation=acme.org).count() == before + 30
    assert run.counts.created == 30 and run.counts.errors == len(issues) > 0
    assert not _readers_alive()
