"""Writes of access exports: asking for one, downloading it, writing one straight to a file."""

from pathlib import Path

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from leadtracker.accounts import audit
from leadtracker.accounts.models import (
    AuditEvent,
)
from leadtracker.lib.errors import ActionError
from leadtracker.privacy.export.files import downloadable_path, write_atomically
from leadtracker.privacy.export.tasks import build_access_export
from leadtracker.privacy.export.values import Subject
from leadtracker.privacy.models import (
    AccessExport,
)


def request_export(org, *, actor, lead=None, member=None, data_request=None):
    """Queue an export of one lead or one member (or of a data request's subject); the worker
    builds it. The subject must belong to ``org`` (callers look it up in the organisation)."""
    if data_request is not None:
        if lead is not None or member is not None:
            raise ActionError(
                _("name the person with one of lead_id, member_id or data_request_id"), field="subject"
            )
        lead, member = data_request.lead, data_request.member
        if lead is None and member is None:
            raise ActionError(_("the person of this request is no longer held"), field="data_request_id")
    if (lead is None) == (member is None):
        raise ActionError(
            _("name the person with one of lead_id, member_id or data_request_id"), field="subject"
        )
    with transaction.atomic():
        export = AccessExport.objects.create(
            organisation=org, lead=lead, member=member, data_request=data_request, requested_by=actor.user
        )
        audit.record(
            "access_export.requested",
            organisation=org,
            actor=actor,
            obj=export,
            changes={
                "subject": "lead" if lead is not None else "member",
                "data_request_id": data_request.pk if data_request else None,
            },
        )

        transaction.on_commit(lambda: build_access_export.enqueue(export.pk))
    return export


def record_download(export, *, actor, now=None) -> Path:
    """Check the export can be downloaded, count the download and audit who took it: which
    export and how many rows of each kind, never what they hold."""
    now = now or timezone.now()
    path = downloadable_path(export, now=now)
    AccessExport.objects.filter(pk=export.pk).update(downloads=F("downloads") + 1, last_downloaded_at=now)
    built = (
        AuditEvent.objects.filter(
            organisation_id=export.organisation_id,
            action="access_export.built",
            object_type="accessexport",
            object_id=str(export.pk),
        )
        .values_list("changes", flat=True)
        .first()
    )
    audit.record(
        "access_export.downloaded",
        organisation=export.organisation,
        actor=actor,
        obj=export,
        changes={
            "subject": "lead" if export.lead_id else "member",
            "size_bytes": export.size_bytes,
            "counts": (built or {}).get("counts", {}),
        },
    )
    return path


def export_to_file(org, out_path, *, lead=None, member=None, actor=None) -> dict[str, int]:
    """The command's export: written straight to ``out_path`` (atomically), audited with counts.
    No register row: the file is wherever the operator put it, outside the server's expiry."""
    actor = actor or audit.Actor.system()
    subject = Subject(org=org, lead=lead, member=member)
    counts, size, _sha = write_atomically(subject, Path(out_path))
    audit.record(
        "access_export.written",
        organisation=org,
        actor=actor,
        object_type="lead" if lead is not None else "membership",
        object_id=str((lead or member).pk),
        changes={"counts": {k: n for k, n in counts.items() if n}, "size_bytes": size},
    )
    return counts
