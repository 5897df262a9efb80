"""/api/v1/privacy/notices — admins draft, edit and publish the organisation's notice versions.
/api/v1/privacy/requests — admins register and handle data requests; /api/v1/privacy/settings."""

import datetime as dt

from ninja import Router, Schema, Status
from ninja.errors import HttpError
from pydantic import Field

from leadtracker.accounts.audit import Actor
from leadtracker.accounts.models import Role
from leadtracker.lib.errors import ActionError
from leadtracker.lib.schema import Choice, Email, Moment, Strict, require_role
from leadtracker.privacy import actions, selectors
from leadtracker.privacy.models import (
    DataRequest,
    PrivacyNotice,
    RequestChannel,
    RequestKind,
    RequestStatus,
)
from leadtracker.privacy.validation import MAX_ITEMS, NoticeItem

router = Router(tags=["privacy"])


class NoticeOut(Schema):
    id: int
    version: int | None
    status: str = Field(..., description="draft, scheduled, effective or superseded")
    title: str
    introduction: str
    items: list[NoticeItem]
    effective_at: dt.datetime | None
    published_at: dt.datetime | None
    created_at: dt.datetime
    updated_at: dt.datetime

    @staticmethod
    def of(notice: PrivacyNotice, current_id: int | None) -> "NoticeOut":
        if not notice.is_published:
            status = "draft"
        elif notice.pk == current_id:
            status = "effective"
        elif current_id is None or notice.effective_at > dt.datetime.now(dt.UTC):
            status = "scheduled"
        else:
            status = "superseded"
        return NoticeOut(
            id=notice.pk,
            version=notice.version,
            status=status,
            title=notice.title,
            introduction=notice.introduction,
            items=notice.items,
            effective_at=notice.effective_at,
            published_at=notice.published_at,
            created_at=notice.created_at,
            updated_at=notice.updated_at,
        )


class DraftIn(Strict):
    """Fields left out are copied from the latest published version (or the default notice)."""

    title: str | None = Field(None, min_length=1, max_length=200)
    introduction: str | None = Field(None, max_length=10_000)
    items: list[NoticeItem] | None = Field(None, min_length=1, max_length=MAX_ITEMS)
    effective_at: Moment | None = Field(None, description="RFC 3339 with offset; may be set at publish")


class DraftPatch(Strict):
    title: str | None = Field(None, min_length=1, max_length=200)
    introduction: str | None = Field(None, max_length=10_000)
    items: list[NoticeItem] | None = Field(None, min_length=1, max_length=MAX_ITEMS)
    effective_at: Moment | None = None


class PublishIn(Strict):
    effective_at: Moment | None = Field(
        None, description="RFC 3339 with offset, now or later; default the draft's date, else now"
    )


def _admin(request):
    return require_role(request, Role.ADMIN)


def _current_id(org_id):
    current = selectors.effective_notice(org_id)
    return current.pk if current else None


def _get(request, notice_id) -> PrivacyNotice:
    try:
        return selectors.notice(request.org.pk, notice_id)
    except PrivacyNotice.DoesNotExist:
        raise HttpError(404, "not found") from None


@router.get("/privacy/notices", response=list[NoticeOut], summary="All versions and drafts, newest first")
def list_notices(request):
    _admin(request)
    current_id = _current_id(request.org.pk)
    return [NoticeOut.of(n, current_id) for n in selectors.notices(request.org.pk)]


@router.post("/privacy/notices", response={201: NoticeOut}, summary="Start a draft")
def create_draft(request, payload: DraftIn):
    _admin(request)
    draft = actions.create_draft(
        request.org,
        actor=Actor.from_request(request),
        title=payload.title,
        introduction=payload.introduction,
        items=[i.model_dump(mode="json") for i in payload.items] if payload.items is not None else None,
        effective_at=payload.effective_at,
    )
    return Status(201, NoticeOut.of(draft, _current_id(request.org.pk)))


@router.get("/privacy/notices/{notice_id}", response=NoticeOut, summary="One version or draft")
def get_notice(request, notice_id: int):
    _admin(request)
    return NoticeOut.of(_get(request, notice_id), _current_id(request.org.pk))


@router.patch(
    "/privacy/notices/{notice_id}",
    response=NoticeOut,
    summary="Change a draft (409 once published: a published version never changes)",
)
def update_draft(request, notice_id: int, payload: DraftPatch):
    _admin(request)
    notice = _get(request, notice_id)
    given = payload.model_dump(exclude_unset=True)
    for field in ("title", "items"):
        if field in given and given[field] is None:
            raise ActionError("may not be null", field=field, status_code=422)
    notice = actions.update_draft(notice, actor=Actor.from_request(request), **given)
    return NoticeOut.of(notice, _current_id(request.org.pk))


@router.delete(
    "/privacy/notices/{notice_id}",
    response={204: None},
    summary="Delete a draft (409 for a published version: what members accepted stays)",
)
def delete_draft(request, notice_id: int):
    _admin(request)
    actions.delete_draft(_get(request, notice_id), actor=Actor.from_request(request))
    return Status(204, None)


@router.post(
    "/privacy/notices/{notice_id}/publish",
    response=NoticeOut,
    summary="Freeze a draft as the next version, taking effect now or at effective_at",
)
def publish(request, notice_id: int, payload: PublishIn | None = None):
    _admin(request)
    notice = _get(request, notice_id)
    notice = actions.publish_notice(
        notice, actor=Actor.from_request(request), effective_at=payload.effective_at if payload else None
    )
    return NoticeOut.of(notice, _current_id(request.org.pk))


# --- Data requests -----------------------------------------------------------------------

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


def _get_request(request, request_id) -> DataRequest:
    try:
        return selectors.data_request(request.org.pk, request_id)
    except DataRequest.DoesNotExist:
        raise HttpError(404, "not found") from None


@router.get(
    "/privacy/requests",
    response=list[RequestOut],
    summary="The data requests register: open ones first, by due date",
)
def list_requests(request, status: RequestStatus | None = None):
    _admin(request)
    rows = selectors.data_requests(request.org.pk)
    if status is not None:
        rows = rows.filter(status=status)
    return [RequestOut.of(r) for r in rows[:REGISTER_LIMIT]]


@router.post("/privacy/requests", response={201: RequestOut}, summary="Register a data request")
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


@router.get("/privacy/requests/{request_id}", response=RequestOut, summary="One data request")
def get_request(request, request_id: int):
    _admin(request)
    return RequestOut.of(_get_request(request, request_id))


@router.patch(
    "/privacy/requests/{request_id}",
    response=RequestOut,
    summary="Handle a request: note, status; done or refused closes it (409 once closed)",
)
def update_request(request, request_id: int, payload: RequestPatch):
    _admin(request)
    req = _get_request(request, request_id)
    given = payload.model_dump(exclude_unset=True)
    for field, value in given.items():
        if value is None:
            raise ActionError("may not be null", field=field, status_code=422)
    req = actions.update_request(req, actor=Actor.from_request(request), **given)
    return RequestOut.of(req)


@router.get("/privacy/settings", response=PrivacySettingsOut, summary="The organisation's privacy settings")
def get_settings(request):
    _admin(request)
    return PrivacySettingsOut(request_period_days=selectors.request_period_days(request.org.pk))


@router.patch("/privacy/settings", response=PrivacySettingsOut, summary="Change the privacy settings")
def update_settings(request, payload: PrivacySettingsPatch):
    _admin(request)
    row = actions.set_request_period(
        request.org, payload.request_period_days, actor=Actor.from_request(request)
    )
    return PrivacySettingsOut(request_period_days=row.request_period_days)


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
        from leadtracker.privacy import retention

        limits = {field: list(pair) for field, pair in retention.bounds().items()}
        return RetentionOut(**retention.periods_of(org), bounds=limits)


class RetentionPatch(Strict):
    # Bounds are checked by the action (some follow server settings), which names the field.
    call_record_days: int | None = None
    shift_location_days: int | None = None
    usage_days: int | None = None
    import_file_days: int | None = None
    export_days: int | None = None


@router.get("/privacy/retention", response=RetentionOut, summary="How long each kind of data is kept (days)")
def get_retention(request):
    _admin(request)
    return RetentionOut.of(request.org)


@router.patch("/privacy/retention", response=RetentionOut, summary="Change retention periods (days)")
def update_retention(request, payload: RetentionPatch):
    from leadtracker.privacy import retention

    _admin(request)
    given = payload.model_dump(exclude_unset=True)
    for field, value in given.items():
        if value is None:
            raise ActionError("may not be null", field=field, status_code=422)
    retention.set_retention_periods(request.org, given, actor=Actor.from_request(request))
    return RetentionOut.of(request.org)


# Access exports: their own module, mounted here so the API has one privacy router.
from leadtracker.privacy.export_api import router as export_router  # noqa: E402

router.add_router("", export_router)

from leadtracker.privacy.erasure_api import router as erasure_router  # noqa: E402

router.add_router("", erasure_router)

from leadtracker.privacy.notice_api import router as notice_router  # noqa: E402

router.add_router("", notice_router)
