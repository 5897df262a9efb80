"""/api/v1/imports: upload a CSV or XLSX file, confirm its mapping, follow the job, fetch its errors."""

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import File, Status, UploadedFile
from ninja.errors import HttpError

from leadtracker.accounts.models import Role
from leadtracker.leads.api.schemas import ImportOut, ImportStart, ImportValuesOut
from leadtracker.leads.export import error_report_response
from leadtracker.leads.imports.jobs import start_job, store_upload, value_choices
from leadtracker.leads.imports.report import error_report
from leadtracker.leads.models import ImportJob
from leadtracker.lib.router import Router
from leadtracker.lib.schema import require_role

router = Router(ids_of="leadtracker.leads.api", tags=["leads"])


def _job(request, import_id: int) -> ImportJob:
    return get_object_or_404(ImportJob, organisation_id=request.org.pk, pk=import_id)


@router.post(
    "/imports",
    response={201: ImportOut},
    tags=["import"],
    summary="Upload a CSV or XLSX file; returns the detected columns and mapping",
)
def upload_import(request, file: File[UploadedFile]):
    by = require_role(request, Role.MANAGER)
    return Status(201, ImportOut.of(store_upload(request.org, file, by=by)))


@router.get("/imports/{import_id}", response=ImportOut, tags=["import"])
def get_import(request, import_id: int):
    job = _job(request, import_id)
    require_role(request, Role.MANAGER)
    return ImportOut.of(job)


@router.post(
    "/imports/{import_id}/start",
    response=ImportOut,
    tags=["import"],
    summary="Confirm the mapping and options; the worker imports the file",
)
def start_import(request, import_id: int, payload: ImportStart):
    job = _job(request, import_id)
    by = require_role(request, Role.MANAGER)
    return ImportOut.of(
        start_job(
            job,
            mapping=payload.mapping,
            on_duplicate=payload.on_duplicate,
            owner_id=payload.owner_id,
            source=payload.source,
            by=by,
            value_mapping=payload.value_mapping.model_dump() if payload.value_mapping else None,
        )
    )


@router.get(
    "/imports/{import_id}/values",
    response=ImportValuesOut,
    tags=["import"],
    summary="Each value of the status and owner columns and what it will become",
)
def import_values(request, import_id: int):
    job = _job(request, import_id)
    by = require_role(request, Role.MANAGER)
    return value_choices(job, by)


@router.get(
    "/imports/{import_id}/errors", tags=["import"], summary="The rows that failed, with reasons (CSV)"
)
def import_errors(request, import_id: int):
    job = _job(request, import_id)
    require_role(request, Role.MANAGER)
    content = error_report(job)
    if content is None:
        raise HttpError(
            409, _("the import is %s; the report comes when it ends") % job.get_state_display().lower()
        )
    return error_report_response(request, job, content)
