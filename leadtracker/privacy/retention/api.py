"""/api/v1/privacy/retention — admins read and change how long each kind of data is kept."""

from django.utils.translation import gettext as _
from ninja import Router, Schema
from pydantic import Field

from leadtracker.accounts.audit import Actor
from leadtracker.accounts.models import Role
from leadtracker.lib.errors import ActionError
from leadtracker.lib.schema import Strict, require_role
from leadtracker.privacy.retention import purge as retention

# Tagged "privacy" by privacy/api.py, which mounts it (a tag of its own would be listed twice).
router = Router()
# Operation ids are spelled out as they were when the module was privacy/api.py (ninja derives them
# from the module's path): generated clients call them by these names.


def _admin(request):
    return require_role(request, Role.ADMIN)


class RetentionOut(Schema):
    call_record_days: int
    shift_location_days: int
    usage_days: int
    import_file_days: int
    export_days: int
    audit_days: int = Field(..., description="Organisation.audit_retention_days, never under 365")
    bounds: dict[str, list[int]] = Field(..., description="Each settable period's [minimum, maximum] days")

    @staticmethod
    def of(org) -> "RetentionOut":
        limits = {field: list(pair) for field, pair in retention.bounds().items()}
        return RetentionOut(**retention.periods_of(org), bounds=limits)


class RetentionPatch(Strict):
    # Bounds are checked by the action (some follow server settings), which names the field.
    call_record_days: int | None = None
    shift_location_days: int | None = None
    usage_days: int | None = None
    import_file_days: int | None = None
    export_days: int | None = None


@router.get(
    "/privacy/retention",
    response=RetentionOut,
    summary="How long each kind of data is kept (days)",
    operation_id="leadtracker_privacy_api_get_retention",
)
def get_retention(request):
    _admin(request)
    return RetentionOut.of(request.org)


@router.patch(
    "/privacy/retention",
    response=RetentionOut,
    summary="Change retention periods (days)",
    operation_id="leadtracker_privacy_api_update_retention",
)
def update_retention(request, payload: RetentionPatch):
    _admin(request)
    given = payload.model_dump(exclude_unset=True)
    for field, value in given.items():
        if value is None:
            raise ActionError(_("may not be null"), field=field, status_code=422)
    retention.set_retention_periods(request.org, given, actor=Actor.from_request(request))
    return RetentionOut.of(request.org)
