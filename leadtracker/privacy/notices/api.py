"""/api/v1/privacy/notices — admins draft, edit and publish the organisation's notice versions.
/api/v1/privacy/notice/ — a member reads the notice in effect and accepts it through the API
(an app that shows the notice itself). The same action as the acceptance page records it.

The member's paths pass the acceptance gate: a session that must accept first can still read and
accept there, and nowhere else. They have their own router, mounted after the others.
"""

import datetime as dt

from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from pydantic import Field

from leadtracker.accounts.audit import Actor
from leadtracker.accounts.models import Role
from leadtracker.lib.errors import ActionError, found
from leadtracker.lib.schema import Moment, Strict, require_role
from leadtracker.privacy import middleware, selectors
from leadtracker.privacy.models import (
    NoticeAcceptance,
    PrivacyNotice,
)
from leadtracker.privacy.notices import actions
from leadtracker.privacy.validation import MAX_ITEMS, NoticeItem

# Tagged "privacy" by privacy/api.py, which mounts it (a tag of its own would be listed twice).
router = Router()
acceptance_router = Router(tags=["privacy"])
# Operation ids are spelled out as they were in privacy/api.py and privacy/notice_api.py (ninja derives them
# from the module's path): generated clients call them by these names.


def _admin(request):
    return require_role(request, Role.ADMIN)


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


def _current_id(org_id):
    current = selectors.effective_notice(org_id)
    return current.pk if current else None


@router.get(
    "/privacy/notices",
    response=list[NoticeOut],
    summary="All versions and drafts, newest first",
    operation_id="leadtracker_privacy_api_list_notices",
)
def list_notices(request):
    _admin(request)
    current_id = _current_id(request.org.pk)
    return [NoticeOut.of(n, current_id) for n in selectors.notices(request.org.pk)]


@router.post(
    "/privacy/notices",
    response={201: NoticeOut},
    summary="Start a draft",
    operation_id="leadtracker_privacy_api_create_draft",
)
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


@router.get(
    "/privacy/notices/{notice_id}",
    response=NoticeOut,
    summary="One version or draft",
    operation_id="leadtracker_privacy_api_get_notice",
)
def get_notice(request, notice_id: int):
    _admin(request)
    return NoticeOut.of(found(selectors.notice, request.org.pk, notice_id), _current_id(request.org.pk))


@router.patch(
    "/privacy/notices/{notice_id}",
    response=NoticeOut,
    summary="Change a draft (409 once published: a published version never changes)",
    operation_id="leadtracker_privacy_api_update_draft",
)
def update_draft(request, notice_id: int, payload: DraftPatch):
    _admin(request)
    notice = found(selectors.notice, request.org.pk, notice_id)
    given = payload.model_dump(exclude_unset=True)
    for field in ("title", "items"):
        if field in given and given[field] is None:
            raise ActionError(_("may not be null"), field=field, status_code=422)
    notice = actions.update_draft(notice, actor=Actor.from_request(request), **given)
    return NoticeOut.of(notice, _current_id(request.org.pk))


@router.delete(
    "/privacy/notices/{notice_id}",
    response={204: None},
    summary="Delete a draft (409 for a published version: what members accepted stays)",
    operation_id="leadtracker_privacy_api_delete_draft",
)
def delete_draft(request, notice_id: int):
    _admin(request)
    actions.delete_draft(
        found(selectors.notice, request.org.pk, notice_id), actor=Actor.from_request(request)
    )
    return Status(204, None)


@router.post(
    "/privacy/notices/{notice_id}/publish",
    response=NoticeOut,
    summary="Freeze a draft as the next version, taking effect now or at effective_at",
    operation_id="leadtracker_privacy_api_publish",
)
def publish(request, notice_id: int, payload: PublishIn | None = None):
    _admin(request)
    notice = found(selectors.notice, request.org.pk, notice_id)
    notice = actions.publish_notice(
        notice, actor=Actor.from_request(request), effective_at=payload.effective_at if payload else None
    )
    return NoticeOut.of(notice, _current_id(request.org.pk))


# --- the member's side ----------------------------------------------------------------------


class AcceptanceOut(Schema):
    notice_id: int
    version: int
    accepted_at: dt.datetime


class CurrentNoticeOut(Schema):
    notice: NoticeOut | None = Field(..., description="the version in effect; null when there is none")
    accepted: bool
    acceptance: AcceptanceOut | None


class AcceptIn(Strict):
    notice_id: int = Field(..., description="the version the member read: it must be the one in effect")


def _out(acceptance: NoticeAcceptance) -> AcceptanceOut:
    return AcceptanceOut(
        notice_id=acceptance.notice_id, version=acceptance.version, accepted_at=acceptance.accepted_at
    )


@acceptance_router.get(
    "/privacy/notice/current",
    response=CurrentNoticeOut,
    summary="The notice in effect for the caller's organisation, and whether the caller accepted it",
    operation_id="leadtracker_privacy_notice_api_current_notice",
)
def current_notice(request):
    notice = selectors.effective_notice(request.org.pk)
    if notice is None:
        return CurrentNoticeOut(notice=None, accepted=False, acceptance=None)
    acceptance = NoticeAcceptance.objects.filter(
        organisation_id=request.org.pk, notice=notice, user_id=request.membership.user_id
    ).first()
    return CurrentNoticeOut(
        notice=NoticeOut.of(notice, notice.pk),
        accepted=acceptance is not None,
        acceptance=_out(acceptance) if acceptance else None,
    )


@acceptance_router.post(
    "/privacy/notice/accept",
    response={201: AcceptanceOut, 200: AcceptanceOut},
    summary="Accept the notice in effect (200 with the earlier record when already accepted)",
    operation_id="leadtracker_privacy_notice_api_accept_notice",
)
def accept_notice(request, payload: AcceptIn):
    notice = selectors.effective_notice(request.org.pk)
    if notice is None:
        raise ActionError(_("no privacy notice is in effect"), field="notice_id", status_code=404)
    if payload.notice_id != notice.pk:
        # An older version, a scheduled one, a draft or another organisation's: the member must
        # accept what is in effect, having read it.
        raise ActionError(
            _("version %(version)s (id %(id)s) is in effect: read and accept that one")
            % {"version": notice.version, "id": notice.pk},
            field="notice_id",
            status_code=409,
        )
    already = selectors.has_accepted(request.membership.user_id, notice)
    acceptance = actions.accept_notice(request.membership, notice, actor=Actor.from_request(request))
    if hasattr(request, "session"):
        middleware.forget(request)  # the gate lets the session through at once
    return Status(200 if already else 201, _out(acceptance))
