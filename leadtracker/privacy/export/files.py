"""An export's file: written whole or not at all, under PRIVATE_FILES_DIR, downloadable until it
expires, then deleted by the retention purge."""

import hashlib
import os
import secrets
import tempfile
from pathlib import Path

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from leadtracker.lib.errors import ActionError
from leadtracker.privacy.export.archive import build_zip
from leadtracker.privacy.export.values import Subject
from leadtracker.privacy.models import (
    AccessExport,
    ExportStatus,
)

EXPORT_DIR = "exports"


def export_dir() -> Path:
    path = Path(settings.PRIVATE_FILES_DIR) / EXPORT_DIR
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path


def write_atomically(subject: Subject, final_path: Path, *, progress=None) -> tuple[dict, int, str]:
    """Build the zip next to ``final_path`` and rename it into place, so a reader never sees a
    half-written file; returns (counts, size in bytes, sha256 hex)."""
    final_path = Path(final_path)
    fd, tmp_name = tempfile.mkstemp(prefix=".part-", suffix=".zip", dir=final_path.parent)
    try:
        with os.fdopen(fd, "w+b") as tmp:
            counts = build_zip(subject, tmp, progress=progress)
            tmp.flush()
            os.fsync(tmp.fileno())
            tmp.seek(0)
            digest = hashlib.sha256()
            while chunk := tmp.read(1024 * 1024):
                digest.update(chunk)
            size = tmp.tell()
        os.replace(tmp_name, final_path)
    except BaseException:
        if os.path.exists(tmp_name):
            os.remove(tmp_name)
        raise
    return counts, size, digest.hexdigest()


def new_file_name() -> str:
    # Unguessable: knowing one export's name tells nothing of another's.
    return f"{EXPORT_DIR}/{secrets.token_urlsafe(24)}.zip"


def is_expired(export, now=None) -> bool:
    """Expired by status, or past its date before the purge has come round to it."""
    now = now or timezone.now()
    if export.status == ExportStatus.EXPIRED:
        return True
    return export.status == ExportStatus.READY and export.expires_at is not None and export.expires_at <= now


def downloadable_path(export, *, now=None) -> Path:
    """The file of a ready export, or ActionError: 409 while it is being built or failed,
    410 once expired."""
    if is_expired(export, now):
        raise ActionError(_("this export has expired; prepare a new one"), field="export", status_code=410)
    if export.status != ExportStatus.READY:
        raise ActionError(
            _("this export is %(status)s") % {"status": str(export.get_status_display()).lower()},
            field="export",
            status_code=409,
        )
    path = Path(settings.PRIVATE_FILES_DIR) / export.file_name
    if not export.file_name or not path.is_file():
        raise ActionError(_("this export's file is gone; prepare a new one"), field="export", status_code=410)
    return path


def expired_exports(org, now):
    """Ready exports past their date: their files go in the retention purge."""
    return AccessExport.objects.filter(organisation=org, status=ExportStatus.READY, expires_at__lte=now)


def expire_exports(queryset) -> int:
    """Delete the files of the given exports and mark them expired (the row stays: that an
    export was made, for whom and when, is the register's record)."""
    exports = list(queryset.only("pk", "file_name"))
    base = Path(settings.PRIVATE_FILES_DIR)
    for export in exports:
        if export.file_name:
            (base / export.file_name).unlink(missing_ok=True)
    return queryset.model.objects.filter(pk__in=[e.pk for e in exports]).update(
        status=ExportStatus.EXPIRED, file_name=""
    )
