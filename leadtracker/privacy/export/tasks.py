"""The worker's part: building an export, and queueing again the ones whose worker died."""

import datetime as dt
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django_tasks import task

from leadtracker.accounts import audit
from leadtracker.lib import leases
from leadtracker.privacy.export.files import export_dir, new_file_name, write_atomically
from leadtracker.privacy.export.values import Subject
from leadtracker.privacy.models import (
    AccessExport,
    ExportStatus,
    PrivacySettings,
)


def subject_of(export) -> Subject:
    return Subject(org=export.organisation, lead=export.lead, member=export.member)


def export_days(org) -> int:
    row = PrivacySettings.objects.filter(organisation=org).first()
    return row.export_days if row else PrivacySettings._meta.get_field("export_days").default


@task()
def build_access_export(export_id: int) -> str:
    return build_export(export_id)


MAX_ATTEMPTS = 5


def build_export(export_id: int, *, now=None) -> str:
    """The worker's part: build the zip, record its size and hash, open it for download until
    the organisation's export period ends. Returns the final status.

    The worker holds the export's lease (lib/leases.py), renewed as each kind of data is
    written; one that dies leaves a lease that lapses, and requeue_abandoned queues the export
    again, to be built from the start (the zip is one snapshot; its half-written part is
    deleted with the stale uploads)."""
    rows = AccessExport.objects.filter(pk=export_id)
    # Run once: a retried or duplicated job finds the export already taken.
    if not leases.take(
        rows.filter(status=ExportStatus.QUEUED),
        status=ExportStatus.RUNNING,
        started_at=timezone.now(),
        attempts=F("attempts") + 1,
    ):
        export = rows.first()
        return export.status if export else "missing"
    export = rows.select_related("organisation", "lead", "member__user").get()
    org = export.organisation
    if export.lead is None and export.member is None:
        return _fail(export, "the person is no longer held (erased after the export was asked for)")

    def progress(percent):
        leases.renew(rows, progress=min(99, percent))  # the heartbeat

    name = new_file_name()
    path = Path(settings.PRIVATE_FILES_DIR) / name
    export_dir()
    try:
        counts, size, sha256 = write_atomically(subject_of(export), path, progress=progress)
    except leases.LeaseLost:
        return rows.get().status  # presumed dead while slow: another worker builds it now
    except Exception as exc:  # noqa: BLE001 — any failure is shown to the admin, not retried forever
        # The class only: an exception's text may quote a value from the person's data.
        return _fail(export, f"the export could not be built ({type(exc).__name__})")
    now = now or timezone.now()
    try:
        with transaction.atomic():
            leases.release(
                rows,
                status=ExportStatus.READY,
                progress=100,
                file_name=name,
                size_bytes=size,
                sha256=sha256,
                finished_at=now,
                expires_at=now + dt.timedelta(days=export_days(org)),
            )
            audit.record(
                "access_export.built",
                organisation=org,
                actor=audit.Actor.system(),
                obj=export,
                changes={"counts": {k: n for k, n in counts.items() if n}, "size_bytes": size},
            )
    except leases.LeaseLost:
        path.unlink(missing_ok=True)  # the worker that took over writes its own file
        return rows.get().status
    return ExportStatus.READY


def _fail(export, message: str) -> str:
    try:
        leases.release(
            AccessExport.objects.filter(pk=export.pk),
            status=ExportStatus.FAILED,
            error=message,
            finished_at=timezone.now(),
        )
    except leases.LeaseLost:
        return AccessExport.objects.get(pk=export.pk).status  # the worker that took over decides
    return ExportStatus.FAILED


def requeue_abandoned(now=None) -> int:
    """Exports whose worker died (their lease lapsed) are queued again, to be built anew; one
    that has stopped its worker MAX_ATTEMPTS times is failed."""
    now = now or timezone.now()
    requeued = 0
    abandoned = leases.lapsed(AccessExport.objects.filter(status=ExportStatus.RUNNING), now)
    for export in abandoned.only("pk", "attempts"):
        row = AccessExport.objects.filter(pk=export.pk, status=ExportStatus.RUNNING)
        if export.attempts >= MAX_ATTEMPTS:
            message = f"the worker building it stopped {export.attempts} times; it was not tried again"
            leases.reclaim(row, now, status=ExportStatus.FAILED, error=message, finished_at=now)
            continue
        with transaction.atomic():
            # The task is written in the same transaction: the export is never queued without one.
            if leases.reclaim(row, now, status=ExportStatus.QUEUED, progress=0):
                build_access_export.enqueue(export.pk)
                requeued += 1
    return requeued
