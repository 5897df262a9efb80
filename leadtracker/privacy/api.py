"""/api/v1/privacy/notices — admins draft, edit and publish the organisation's notice versions."""

import datetime as dt

from ninja import Router, Schema, Status
from ninja.errors import HttpError
from pydantic import Field

from leadtracker.accounts.audit import Actor
from leadtracker.accounts.models import Role
from leadtracker.lib.errors import ActionError
from leadtracker.lib.schema import Strict, require_role
from leadtracker.privacy import actions, selectors
from leadtracker.privacy.models import PrivacyNotice
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
    effective_at: dt.datetime | None = Field(None, description="RFC 3339 with offset; may be set at publish")


class DraftPatch(Strict):
    title: str | None = Field(None, min_length=1, max_length=200)
    introduction: str | None = Field(None, max_length=10_000)
    items: list[NoticeItem] | None = Field(None, min_length=1, max_length=MAX_ITEMS)
    effective_at: dt.datetime | None = None


class PublishIn(Strict):
    effective_at: dt.datetime | None = Field(
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
