"""/api/v1/privacy/requests — admins register and handle data requests; /api/v1/privacy/settings."""

import datetime as dt

from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from pydantic import Field

from leadtracker.accounts.audit import Actor
from leadtracker.accounts.models import Role
from leadtracker.lib.errors import ActionError, found
from leadtracker.lib.schema import Choice, Email, Moment, Strict, require_role
from leadtracker.privacy import selectors
from leadtracker.privacy.models import (
    DataRequest,
    RequestChannel,
    RequestKind,
    RequestStatus,
)
from leadtracker.privacy.requests import actions

# Tagged "privacy" by privacy/api.py, which mounts it (a tag of its own would be listed twice).
router = Router()
# Operation ids are spelled out as they were when the module was privacy/api.py (ninja derives them
# from the module's path): generated clients call them by these names.


def _admin(request):
    return require_role(request, Role.ADMIN)


REGISTER_LIMIT = 500


class RequestOut(Schema):
    id: int
    kind: RequestKind
    status: RequestStatus
    overdue: bool = Field(..., description="past its due date and not closed")
    lead_id: int | None
    member_id: int | None
    requested_by: str
    channel: RequestChannel
    details: str
    received_at: dt.datetime
    due_at: dt.datetime
    verification_note: str
    outcome: str
    refusal_reason: str
    closed_at: dt.datetime | None
    closed_by_id: int | None
    created_at: dt.datetime
    updated_at: dt.datetime

    @staticmethod
    def of(req: DataRequest) -> "RequestOut":
        return RequestOut(
            id=req.pk,
            kind=req.kind,
            status=req.status,
            overdue=req.is_overdue(),
            lead_id=req.lead_id,
            member_id=req.member_id,
            requested_by=req.requested_by,
            channel=req.channel,
            details=req.details,
            received_at=req.received_at,
            due_at=req.due_at,
            verification_note=req.verification_note,
            outcome=req.outcome,
            refusal_reason=req.refusal_reason,
            closed_at=req.closed_at,
            closed_by_id=req.closed_by_id,
            created_at=req.created_at,
            updated_at=req.updated_at,
        )


class RequestIn(Strict):
    """Name the person with exactly one of lead_id, member_id, phone (any format) or email."""

    kind: Choice[RequestKind]
    requested_by: str = Field(
        ..., min_length=1, max_length=200, description="Who asked: the person or their representative"
    )
    channel: Choice[RequestChannel] = Field(..., description="How the request was received")
    lead_id: int | None = None
    member_id: int | None = Field(None, description="A membership id of the organisation")
    phone: str | None = Field(None, max_length=64, description="A lead's number, in any format")
    email: Email | None = Field(None, description="A lead's e-mail address (case does not matter)")
    received_at: Moment | None = Field(None, description="RFC 3339 with offset; default now")
    details: str = Field("", max_length=10_000)
    verification_note: str = Field("", max_length=10_000, description="How the person's identity was checked")


class RequestPatch(Strict):
    status: Choice[RequestStatus] | None = Field(
        None, description="done needs an outcome, refused a refusal_reason"
    )
    verification_note: str | None = Field(None, max_length=10_000)
    outcome: str | None = Field(None, max_length=10_000)
    refusal_reason: str | None = Field(None, max_length=10_000)


class PrivacySettingsOut(Schema):
    request_period_days: int = Field(..., description="Days after receipt a new data request is due")


class PrivacySettingsPatch(Strict):
    request_period_days: int = Field(..., ge=1, le=365)


@router.get(
    "/privacy/requests",
    response=list[RequestOut],
    summary="The data requests register: open ones first, by due date",
    operation_id="leadtracker_privacy_api_list_requests",
)
def list_requests(request, status: RequestStatus | None = None):
    _admin(request)
    rows = selectors.data_requests(request.org.pk)
    if status is not None:
        rows = rows.filter(status=status)
    return [RequestOut.of(r) for r in rows[:REGISTER_LIMIT]]


@router.post(
    "/privacy/requests",
    response={201: RequestOut},
    summary="Register a data request",
    operation_id="leadtracker_privacy_api_create_request",
)
def create_request(request, payload: RequestIn):
    _admin(request)
    lead, member = actions.find_subject(
        request.org,
        lead_id=payload.lead_id,
        member_id=payload.member_id,
        phone=payload.phone,
        email=payload.email,
    )
    req = actions.create_request(
        request.org,
        actor=Actor.from_request(request),
        kind=payload.kind,
        requested_by=payload.requested_by,
        channel=payload.channel,
        lead=lead,
        member=member,
        received_at=payload.received_at,
        details=payload.details,
        verification_note=payload.verification_note,
    )
    return Status(201, RequestOut.of(req))


@router.get(
    "/privacy/requests/{request_id}",
    response=RequestOut,
    summary="One data request",
    operation_id="leadtracker_privacy_api_get_request",
)
def get_request(request, request_id: int):
    _admin(request)
    return RequestOut.of(found(selectors.data_request, request.org.pk, request_id))


@router.patch(
    "/privacy/requests/{request_id}",
    response=RequestOut,
    summary="Handle a request: note, status; done or refused closes it (409 once closed)",
    operation_id="leadtracker_privacy_api_update_request",
)
def update_request(request, request_id: int, payload: RequestPatch):
    _admin(request)
    req = found(selectors.data_request, request.org.pk, request_id)
    given = payload.model_dump(exclude_unset=True)
    for field, value in given.items():
        if value is None:
            raise ActionError(_("may not be null"), field=field, status_code=422)
    req = actions.update_request(req, actor=Actor.from_request(request), **given)
    return RequestOut.of(req)


@router.get(
    "/privacy/settings",
    response=PrivacySettingsOut,
    summary="The organisation's privacy settings",
    operation_id="leadtracker_privacy_api_get_settings",
)
def get_settings(request):
    _admin(request)
    return PrivacySettingsOut(request_period_days=selectors.request_period_days(request.org.pk))


@router.patch(
    "/privacy/settings",
    response=PrivacySettingsOut,
    summary="Change the privacy settings",
    operation_id="leadtracker_privacy_api_update_settings",
)
def update_settings(request, payload: PrivacySettingsPatch):
    _admin(request)
    row = actions.set_request_period(
        request.org, payload.request_period_days, actor=Actor.from_request(request)
    )
    return PrivacySettingsOut(request_period_days=row.request_period_days)
