"""/api/v1/privacy/exports — admins prepare, follow and download access exports."""

import datetime as dt

from django.http import FileResponse
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from pydantic import Field

from leadtracker.accounts.audit import Actor
from leadtracker.accounts.models import Role
from leadtracker.lib.errors import ActionError, found
from leadtracker.lib.schema import Strict, require_role
from leadtracker.privacy import selectors
from leadtracker.privacy.export import actions
from leadtracker.privacy.models import AccessExport, ExportStatus

router = Router(tags=["privacy"])
# Operation ids are spelled out as they were when the module was privacy/export_api.py (ninja derives them
# from the module's path): generated clients call them by these names.

LIST_LIMIT = 200


class ExportOut(Schema):
    id: int
    status: ExportStatus
    progress: int = Field(..., description="0–100 while the worker builds it")
    lead_id: int | None
    member_id: int | None
    data_request_id: int | None
    created_at: dt.datetime
    finished_at: dt.datetime | None
    expires_at: dt.datetime | None = Field(..., description="downloadable until then, deleted after")
    size_bytes: int | None
    sha256: str = Field(..., description="hex SHA-256 of the zip, to check a downloaded copy")
    downloads: int
    error: str
    download_url: str | None = Field(..., description="while ready and not expired")

    @staticmethod
    def of(x: AccessExport) -> "ExportOut":
        ready = x.status == ExportStatus.READY and x.expires_at and x.expires_at > dt.datetime.now(dt.UTC)
        return ExportOut(
            id=x.pk,
            status=ExportStatus.EXPIRED if x.status == ExportStatus.READY and not ready else x.status,
            progress=x.progress,
            lead_id=x.lead_id,
            member_id=x.member_id,
            data_request_id=x.data_request_id,
            created_at=x.created_at,
            finished_at=x.finished_at,
            expires_at=x.expires_at,
            size_bytes=x.size_bytes,
            sha256=x.sha256,
            downloads=x.downloads,
            error=x.error,
            download_url=f"/api/v1/privacy/exports/{x.pk}/download" if ready else None,
        )


class ExportIn(Strict):
    """Exactly one of the three: the person's lead, their membership, or a data request about them."""

    lead_id: int | None = None
    member_id: int | None = Field(None, description="A membership id of the organisation")
    data_request_id: int | None = None


@router.post(
    "/privacy/exports",
    response={201: ExportOut},
    summary="Prepare an access export (built by the worker)",
    operation_id="leadtracker_privacy_export_api_create_export",
)
def create_export(request, payload: ExportIn):
    require_role(request, Role.ADMIN)
    org = request.org
    # Every id is looked up before the one-of rule, so another organisation's id is a 404
    # whatever else the body holds.
    lead = member = data_request = None
    if payload.lead_id is not None and (lead := selectors.lead_in(org.pk, payload.lead_id)) is None:
        raise ActionError(_("no such lead"), field="lead_id", status_code=404)
    if payload.member_id is not None and (member := selectors.member_in(org.pk, payload.member_id)) is None:
        raise ActionError(_("no such member"), field="member_id", status_code=404)
    if payload.data_request_id is not None:
        data_request = selectors.data_request_or_none(org.pk, payload.data_request_id)
        if data_request is None:
            raise ActionError(_("no such data request"), field="data_request_id", status_code=404)
    if sum(x is not None for x in (lead, member, data_request)) != 1:
        raise ActionError(
            _("name the person with exactly one of lead_id, member_id or data_request_id"),
            field="body",
            status_code=422,
        )
    created = actions.request_export(
        org, actor=Actor.from_request(request), lead=lead, member=member, data_request=data_request
    )
    return Status(201, ExportOut.of(created))


@router.get(
    "/privacy/exports",
    response=list[ExportOut],
    summary="The organisation's exports, newest first",
    operation_id="leadtracker_privacy_export_api_list_exports",
)
def list_exports(request):
    require_role(request, Role.ADMIN)
    return [ExportOut.of(x) for x in selectors.access_exports(request.org.pk)[:LIST_LIMIT]]


@router.get(
    "/privacy/exports/{export_id}",
    response=ExportOut,
    summary="One export: status and progress",
    operation_id="leadtracker_privacy_export_api_get_export",
)
def get_export(request, export_id: int):
    require_role(request, Role.ADMIN)
    return ExportOut.of(found(selectors.access_export, request.org.pk, export_id))


@router.get(
    "/privacy/exports/{export_id}/download",
    summary="The zip (audited); 409 while building or failed, 410 once expired",
    response={200: None},
    operation_id="leadtracker_privacy_export_api_download_export",
)
def download_export(request, export_id: int):
    require_role(request, Role.ADMIN)
    x = found(selectors.access_export, request.org.pk, export_id)
    path = actions.record_download(x, actor=Actor.from_request(request))
    return FileResponse(
        open(path, "rb"),  # noqa: SIM115 — FileResponse closes it
        as_attachment=True,
        filename=f"access-export-{x.pk}.zip",
        content_type="application/zip",
    )
