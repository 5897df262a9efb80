"""An access export is built under a lease: one whose worker died is built again when the lease
lapses, one a live worker holds is left to it, and a worker that was presumed dead and comes
back publishes nothing (issue 15 item 2)."""

import datetime as dt
import os

import pytest
from django.utils import timezone
from django.utils.module_loading import import_string

from leadtracker.accounts.audit import Actor
from leadtracker.accounts.models import AuditEvent
from leadtracker.privacy.export import actions as export_actions
from leadtracker.privacy.export import files as export_files
from leadtracker.privacy.export import tasks as export_tasks
from leadtracker.privacy.models import AccessExport
from leadtracker.privacy.tests.export_util import lead_with_history
from leadtracker.privacy.tests.test_access_export_api import WORDS

DEAD = "gone:4242:0badf00d"


@pytest.fixture(autouse=True)
def private_dir(settings, tmp_path):
    settings.PRIVATE_FILES_DIR = tmp_path / "private"
    return settings.PRIVATE_FILES_DIR


@pytest.fixture
def export(acme, django_capture_on_commit_callbacks):
    lead, *_ = lead_with_history(acme, name="Ravi Kumar", phones=["+919876543210"], email="", words=WORDS)
    with django_capture_on_commit_callbacks(execute=False):
        return export_actions.request_export(acme.org, actor=Actor.for_user(acme.adam.user), lead=lead)


def running(export, holder, seconds, attempts=1):
    """What a worker leaves when it took the export and is building it."""
    AccessExport.objects.filter(pk=export.pk).update(
        status="running",
        progress=40,
        attempts=attempts,
        lease_holder=holder,
        lease_until=timezone.now() + dt.timedelta(seconds=seconds),
    )


def test_an_export_whose_worker_died_is_built_again(export):
    from django_tasks_db.models import DBTaskResult

    running(export, DEAD, seconds=-1)
    assert export_tasks.requeue_abandoned() == 1
    export.refresh_from_db()
    assert (export.status, export.progress, export.lease_holder) == ("queued", 0, "")
    queued = DBTaskResult.objects.get(task_path="leadtracker.privacy.export.tasks.build_access_export")
    assert queued.args_kwargs["args"] == [export.pk]
    assert export_tasks.build_export(export.pk) == "ready"
    export.refresh_from_db()
    assert (export.attempts, export.lease_holder, export.lease_until) == (2, "", None)
    assert AuditEvent.objects.filter(action="access_export.built", object_id=str(export.pk)).count() == 1


def test_an_export_a_live_worker_is_building_is_left_to_it(export):
    running(export, "alive:1:cafe", seconds=60)
    assert export_tasks.requeue_abandoned() == 0
    assert export_tasks.build_export(export.pk) == "running"  # a second task for it does nothing
    assert AccessExport.objects.get(pk=export.pk).lease_holder == "alive:1:cafe"


def test_an_export_that_keeps_killing_its_worker_is_failed(export):
    running(export, DEAD, seconds=-1, attempts=export_tasks.MAX_ATTEMPTS)
    assert export_tasks.requeue_abandoned() == 0
    export.refresh_from_db()
    assert export.status == "failed" and "stopped 5 times" in export.error and export.lease_holder == ""


def test_a_builder_presumed_dead_publishes_nothing(export, private_dir, monkeypatch):
    real = export_files.build_zip

    def slow(subject, out, *, progress=None):
        # Another worker took the export over while this one was building it.
        AccessExport.objects.filter(pk=export.pk).update(lease_holder="elsewhere:1:feedbeef")
        return real(subject, out, progress=progress)

    monkeypatch.setattr(export_files, "build_zip", slow)
    assert export_tasks.build_export(export.pk) == "running"
    export.refresh_from_db()
    assert (export.status, export.lease_holder, export.file_name) == ("running", "elsewhere:1:feedbeef", "")
    assert not AuditEvent.objects.filter(action="access_export.built").exists()
    assert not os.listdir(private_dir / "exports")  # neither the zip nor its part


def test_a_build_queued_under_the_tasks_old_path_still_finds_its_task():
    # Rows queued before the export package was split out name privacy/tasks.py's path.
    assert import_string("leadtracker.privacy.tasks.build_access_export") is export_tasks.build_access_export
