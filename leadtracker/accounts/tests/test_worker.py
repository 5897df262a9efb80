"""The background worker: a real process that runs queued tasks and fires periodic jobs (its
presence and the tasks of a stopped worker: test_worker_presence.py)."""

import datetime as dt
import os
import re
import subprocess
import sys

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from leadtracker.accounts.models import AuditEvent, PeriodicJobRun
from leadtracker.accounts.scheduler import fire_due_jobs
from leadtracker.accounts.tasks import purge_expired_audit_events, send_email


def worker_env():
    env = dict(os.environ)
    db = settings.DATABASES["default"]
    if db["ENGINE"].endswith("sqlite3"):
        env["DATABASE_URL"] = f"sqlite:///{db['NAME']}"
    else:
        env["DATABASE_URL"] = (
            f"postgres://{db['USER']}:{db.get('PASSWORD') or ''}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
        )
    return env


def run_worker():
    connection.close()  # let the other process write (SQLite allows one writer)
    return subprocess.run(
        [sys.executable, "-m", "leadtracker.cli", "worker", "--once"],
        env=worker_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )


# One `worker --once` process for what a worker does as it runs (each process is a second or
# more of CPU starting Django): it runs the queued task and signs it with its presence, fires the
# periodic purge, and leaves no presence when it stops.
@pytest.mark.django_db(transaction=True)
def test_a_worker_process_runs_and_signs_queued_tasks_fires_periodic_jobs_and_leaves_no_presence(acme):
    from django_tasks_db.models import DBTaskResult

    queued = send_email.enqueue("Hello", "Body", ["someone@example.in"])
    old = AuditEvent.objects.create(
        organisation=acme.org,
        actor_kind="system",
        action="ancient",
        at=timezone.now() - dt.timedelta(days=3000),
    )
    result = run_worker()
    assert result.returncode == 0, result.stderr
    task = DBTaskResult.objects.get(pk=queued.id)
    assert (task.task_path, task.status) == ("leadtracker.accounts.tasks.send_email", "SUCCESSFUL")
    assert re.fullmatch(r"[^:]+:\d+:[0-9a-f]{8}", task.worker_ids[-1])
    assert "purge_expired_audit_events enqueued" in result.stderr
    assert not AuditEvent.objects.filter(pk=old.pk).exists()
    assert not PeriodicJobRun.objects.filter(name__startswith="worker.").exists()


def test_a_periodic_job_fires_once_per_interval(db):
    now = timezone.now()
    name = f"{purge_expired_audit_events.func.__module__}.{purge_expired_audit_events.func.__name__}"
    assert name in fire_due_jobs(now)
    assert name not in fire_due_jobs(now + dt.timedelta(hours=1))  # another worker, an hour later
    assert name in fire_due_jobs(now + dt.timedelta(hours=6, seconds=1))
    assert PeriodicJobRun.objects.get(name=name).last_run_at == now + dt.timedelta(hours=6, seconds=1)
