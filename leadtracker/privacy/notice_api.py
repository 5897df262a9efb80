"""/api/v1/privacy/notice/ — a member reads the notice in effect and accepts it through the API
(an app that shows the notice itself). The same action as the acceptance page records it.

These paths pass the acceptance gate: a session that must accept first can still read and
accept here, and nowhere else.
"""

import datetime as dt

from ninja import Router, Schema, Status
from pydantic import Field

from leadtracker.accounts.audit import Actor
from leadtracker.lib.errors import ActionError
from leadtracker.lib.schema import Strict
from leadtracker.privacy import actions, middleware, selectors
from leadtracker.privacy.api import NoticeOut
from leadtracker.privacy.models import NoticeAcceptance

router = Router(tags=["privacy"])


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


@router.get(
    "/privacy/notice/current",
    response=CurrentNoticeOut,
    summary="The notice in effect for the caller's organisation, and whether the caller accepted it",
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


@router.post(
    "/privacy/notice/accept",
    response={201: AcceptanceOut, 200: AcceptanceOut},
    summary="Accept the notice in effect (200 with the earlier record when already accepted)",
)
def accept_notice(request, payload: AcceptIn):
    notice = selectors.effective_notice(request.org.pk)
    if notice is None:
        raise ActionError("no privacy notice is in effect", field="notice_id", status_code=404)
    if payload.notice_id != notice.pk:
        # An older version, a scheduled one, a draft or another organisation's: the member must
        # accept what is in effect, having read it.
        raise ActionError(
            f"version {notice.version} (id {notice.pk}) is in effect: read and accept that one",
            field="notice_id",
            status_code=409,
        )
    already = selectors.has_accepted(request.membership.user_id, notice)
    acceptance = actions.accept_notice(request.membership, notice, actor=Actor.from_request(request))
    if hasattr(request, "session"):
        middleware.forget(request)  # the gate lets the session through at once
    return Status(200 if already else 201, _out(acceptance))
