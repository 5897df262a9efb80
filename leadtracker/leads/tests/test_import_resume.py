"""An import whose worker dies is resumed from its last committed batch, and ends with the
counts, leads and report of an import that was never interrupted (issue 15 item 2)."""

import csv
import datetime as dt
import os
import signal
import subprocess
import sys
import time
from collections import Counter

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.utils import timezone

from leadtracker.accounts.models import AuditEvent
from leadtracker.leads.imports import importer, jobs
from leadtracker.leads.imports.jobs import (
    requeue_abandoned,
    run_import,
    run_import_job,
    start_job,
    store_upload,
)
from leadtracker.leads.models import ImportJob, Lead

ROWS = 6000  # six batches of TEST_BATCH
# The in-process tests' batches: what they check is what happens at a batch's boundary (kill
# at the fourth, take over at the second), not the batch's size, so they keep a thousand rows
# a batch whatever importer.BATCH is, and the file stays small. The real worker's test below
# runs with importer.BATCH (its worker, another process, could not be given another; and the
# order of a report's lines, each batch's errors before its warnings, follows the batches).
TEST_BATCH = 1000
# The workers' lease in the kill test: short, so that the test need not wait two minutes, and
# long enough that a batch on a loaded machine does not outlast it.
LEASE = 5


@pytest.fixture
def thousand_row_batches(monkeypatch):
    monkeypatch.setattr(importer, "BATCH", TEST_BATCH)


def sheet(path, rows=ROWS):
    """Errors, warnings and duplicates all through the file (across batch boundaries and
    within a batch), and a stray quote that makes the reader report a broken record."""
    with open(path, "w", newline="", encoding="utf-8") as fh:
        out = csv.writer(fh)
        out.writerow(["Name", "Mobile", "Status", "Notes"])
        for i in range(rows):
            number = f"98{i:08d}"
            if i % 97 == 13:
                number = "12345"  # too short: an error
            elif i % 101 == 7 and i > 1500:
                number = f"98{i - 1200:08d}"  # a lead of an earlier batch: a duplicate
            elif i % 251 == 3:
                number = f"98{i - 2:08d}"  # of the same batch
            status = "Somewhat keen" if i % 89 == 5 else "New"  # an unknown status: a warning
            if i == 2500:
                fh.write(f'"Customer {i},{number},{status},\r\n')  # a quote left open
                continue
            out.writerow([f"Customer {i}", number, status, f"note {i}" if i % 10 == 0 else ""])
    return path


def queue(people, path):
    with open(path, "rb") as fh:
        uploaded = SimpleUploadedFile("leads.csv", fh.read(), "text/csv")
    job = store_upload(people.org, uploaded, by=people.maya)
    return start_job(
        job,
        mapping={"0": "name", "1": "phone", "2": "status", "3": "notes"},
        on_duplicate="skip",
        owner_id=None,
        source="",
        by=people.maya,
    )


def outcome(job: ImportJob) -> dict:
    job.refresh_from_db()
    with open(job.error_report_path, encoding="utf-8-sig") as fh:
        report = fh.read().splitlines()
    names = Counter(Lead.objects.filter(organisation_id=job.organisation_id).values_list("name", flat=True))
    return {
        "state": job.state,
        "counts": job.summary(),
        "report": report,
        "first_issues": job.first_issues,
        "leads": sorted(names),
        "stored_twice": [name for name, n in names.items() if n > 1],
    }


class Killed(BaseException):
    """What SIGKILL does to a worker, in-process: nothing after it runs, no handler catches it."""


def kill_at_batch(monkeypatch, number):
    real, seen = importer.Importer._store, []

    def store(self, cleaned):
        seen.append(1)
        real(self, cleaned)  # the batch's leads are written …
        if len(seen) == number:
            raise Killed  # … and the worker dies before its transaction commits

    monkeypatch.setattr(importer.Importer, "_store", store)


@pytest.mark.usefixtures("thousand_row_batches")
def test_a_resumed_import_ends_as_an_uninterrupted_one(acme, globex, tmp_path, monkeypatch):
    path = sheet(tmp_path / "leads.csv")
    whole = queue(globex, path)
    run_import_job(whole.pk)
    expected = outcome(whole)
    assert expected["counts"]["errors"] > 60 and expected["counts"]["warnings"] > 60
    assert expected["counts"]["duplicates"] > 20 and not expected["stored_twice"]

    job = queue(acme, path)
    kill_at_batch(monkeypatch, 4)
    with pytest.raises(Killed):
        run_import_job(job.pk)
    monkeypatch.undo()
    monkeypatch.setattr(importer, "BATCH", TEST_BATCH)  # undone with the kill
    job.refresh_from_db()
    # What the job says it consumed is what the database holds: three batches, not four.
    # (and the broken record, which is counted but joins no batch)
    assert job.state == "running" and job.rows == 3 * importer.BATCH + 1
    assert Lead.objects.filter(organisation=acme.org).count() == job.created
    assert os.path.getsize(job.error_report_path) > job.report_offset  # the lost batch's issues
    assert requeue_abandoned() == 0  # its lease has not lapsed: the worker may be alive

    ImportJob.objects.filter(pk=job.pk).update(lease_until=timezone.now() - dt.timedelta(seconds=1))
    assert requeue_abandoned() == 1
    job.refresh_from_db()
    assert (job.state, job.lease_holder) == ("queued", "")
    run_import_job(job.pk)
    got = outcome(job)
    assert {k: v for k, v in got.items() if k != "leads"} == {
        k: v for k, v in expected.items() if k != "leads"
    }
    assert got["leads"] == expected["leads"]
    job.refresh_from_db()
    assert job.attempts == 2 and job.progress == 1.0
    assert sorted(p.name for p in jobs.import_dir().glob(f"import-{job.pk}-*")) == [
        f"import-{job.pk}-errors-2.csv"  # the first run's report went when its part was carried over
    ]
    assert AuditEvent.objects.filter(action="lead.import", object_id=str(job.pk)).count() == 1


@pytest.mark.usefixtures("thousand_row_batches")
def test_a_worker_whose_job_was_taken_over_commits_nothing_more(acme, tmp_path, monkeypatch):
    job = queue(acme, sheet(tmp_path / "leads.csv", rows=3000))
    real, seen = importer.Importer._clean, []

    def clean(self, batch, headers):
        seen.append(1)
        if len(seen) == 2:
            # Presumed dead while it was slow: another worker took the job over.
            ImportJob.objects.filter(pk=job.pk).update(lease_holder="elsewhere:1:feedbeef")
        return real(self, batch, headers)

    monkeypatch.setattr(importer.Importer, "_clean", clean)
    assert run_import_job(job.pk)["rows"] == importer.BATCH  # it stopped; the first batch stands
    job.refresh_from_db()
    assert (job.state, job.lease_holder, job.rows) == ("running", "elsewhere:1:feedbeef", importer.BATCH)
    assert Lead.objects.filter(organisation=acme.org).count() == job.created  # batch two rolled back


@pytest.mark.usefixtures("thousand_row_batches")
def test_a_job_that_keeps_killing_its_worker_is_failed(acme, tmp_path, monkeypatch):
    job = queue(acme, sheet(tmp_path / "leads.csv", rows=3000))
    kill_at_batch(monkeypatch, 2)
    with pytest.raises(Killed):
        run_import_job(job.pk)
    ImportJob.objects.filter(pk=job.pk).update(
        attempts=jobs.MAX_ATTEMPTS, lease_until=timezone.now() - dt.timedelta(seconds=1)
    )
    assert requeue_abandoned() == 0
    job.refresh_from_db()
    assert job.state == "failed" and "stopped 5 times" in job.failure and not job.lease_holder
    # The report holds the committed batch's issues, as the counts do.
    assert os.path.getsize(job.error_report_path) == job.report_offset
    with open(job.error_report_path, encoding="utf-8-sig") as fh:
        assert len(fh.read().splitlines()) == 1 + job.errors + job.warnings


# --- a real worker process, killed ------------------------------------------------------------


def start_worker(log, lease_seconds: int):
    """A real `leadtracker worker`, with a short lease so that the test need not wait two minutes."""
    from leadtracker.accounts.tests.test_worker import worker_env

    env = worker_env()
    env["LEADTRACKER_JOB_LEASE_SECONDS"] = str(lease_seconds)
    with open(log, "w") as out:  # a file, not a pipe nobody reads, which could fill and block it
        return subprocess.Popen(
            [sys.executable, "-m", "leadtracker.cli", "worker", "--interval", "0.2"],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )


def wait_for(condition, what: str, seconds: float = 180, every: float = 0.01):
    """Wait until ``condition()`` holds, asking the database every ``every`` seconds: 10 ms to
    catch the worker between two batches, longer for a wait that has no moment to catch (each
    look is a query, CPU taken from the worker, and on SQLite a read beside its writes)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = condition()
        if found:
            return found
        time.sleep(every)
    pytest.fail(f"waited {seconds} s for {what}")


@pytest.mark.slow(reason="two real worker processes, and the killed one's lease (LEASE s) must lapse")
@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_import_is_resumed_by_the_next(acme, globex, tmp_path):
    from django_tasks_db.models import DBTaskResult

    path = sheet(tmp_path / "leads.csv", rows=4000)
    whole = queue(globex, path)
    run_import_job(whole.pk)
    expected = outcome(whole)

    job = queue(acme, path)
    connection.close()  # let the worker write (SQLite has one writer)
    first = start_worker(tmp_path / "first.log", lease_seconds=LEASE)
    try:
        # Killed once it has committed a batch and before it has committed the last one.
        rows = wait_for(
            lambda: ImportJob.objects.filter(pk=job.pk, rows__gt=0).values_list("rows", flat=True).first(),
            "the first committed batch",
        )
        first.send_signal(signal.SIGKILL)
        first.wait(10)
    finally:
        if first.poll() is None:
            first.kill()
    job.refresh_from_db()
    assert job.state == "running" and 0 < rows <= job.rows < expected["counts"]["rows"], "killed too late"
    killed_task = DBTaskResult.objects.get(task_path=run_import.module_path, status="RUNNING")

    connection.close()
    second = start_worker(tmp_path / "second.log", lease_seconds=LEASE)
    try:
        # The lease must lapse (LEASE s) before the import goes on: seconds with nothing to catch.
        wait_for(
            lambda: ImportJob.objects.filter(pk=job.pk, state="done").exists(), "the import to end", every=0.2
        )
        # The killed worker's task row is closed once its presence lapses too.
        wait_for(
            lambda: DBTaskResult.objects.filter(pk=killed_task.pk, status="FAILED").exists(),
            "the killed worker's task to be closed",
            every=0.2,
        )
    finally:
        second.terminate()
        assert second.wait(30) == 0, (tmp_path / "second.log").read_text()
    got = outcome(job)
    assert {k: v for k, v in got.items() if k != "leads"} == {
        k: v for k, v in expected.items() if k != "leads"
    }
    assert got["leads"] == expected["leads"]
    assert ImportJob.objects.get(pk=job.pk).attempts >= 2  # more if a batch outlasted a lease
    closed = DBTaskResult.objects.get(pk=killed_task.pk)
    assert closed.exception_class_path == "leadtracker.accounts.workers.WorkerStopped"
    imports = DBTaskResult.objects.filter(task_path=run_import.module_path)
    # Globex's (already done when a worker came to it), the killed one, and the resumed one.
    assert Counter(imports.values_list("status", flat=True))["FAILED"] == 1
    assert imports.filter(status="SUCCESSFUL").count() >= 2
    assert not DBTaskResult.objects.filter(status="RUNNING").exists()
