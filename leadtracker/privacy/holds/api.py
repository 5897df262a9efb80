"""/api/v1/privacy/holds — legal holds (list, place, release). Admins and owners only."""

import datetime as dt

from ninja import Router, Schema, Status
from pydantic import Field

from leadtracker.accounts.audit import Actor
from leadtracker.accounts.models import Role
from leadtracker.lib.errors import ActionError, found
from leadtracker.lib.schema import Strict, require_role
from leadtracker.privacy import selectors
from leadtracker.privacy.holds import actions as holds
from leadtracker.privacy.models import LegalHold

router = Router(tags=["privacy"])
# Operation ids are spelled out as they were when the module was privacy/erasure_api.py (ninja derives them
# from the module's path): generated clients call them by these names.


class HoldOut(Schema):
    id: int
    lead_id: int | None
    member_id: int | None
    reason: str
    created_by_id: int | None
    created_at: dt.datetime
    released_at: dt.datetime | None
    active: bool

    @staticmethod
    def of(hold: LegalHold) -> "HoldOut":
        return HoldOut(
            id=hold.pk,
            lead_id=hold.lead_id,
            member_id=hold.member_id,
            reason=hold.reason,
            created_by_id=hold.created_by_id,
            created_at=hold.created_at,
            released_at=hold.released_at,
            active=hold.released_at is None,
        )


class HoldIn(Strict):
    """Exactly one of lead_id and member_id."""

    lead_id: int | None = None
    member_id: int | None = Field(None, description="A membership id of the organisation")
    reason: str = Field(
        ..., min_length=1, max_length=holds.REASON_MAX, description="Why the data must be kept"
    )


def _admin(request):
    return require_role(request, Role.ADMIN)


def _as_422(exc: ActionError) -> ActionError:
    # Bad input is 422 in the API (the actions' plain 400 is the pages' answer).
    if exc.status_code == 400:
        exc.status_code = 422
    return exc


@router.get(
    "/privacy/holds",
    response=list[HoldOut],
    summary="Legal holds, unreleased first",
    operation_id="leadtracker_privacy_erasure_api_list_holds",
)
def list_holds(request):
    _admin(request)
    return [HoldOut.of(h) for h in selectors.legal_holds(request.org.pk)[:500]]


@router.post(
    "/privacy/holds",
    response={201: HoldOut},
    summary="Place a legal hold on a lead or a member",
    operation_id="leadtracker_privacy_erasure_api_create_hold",
)
def create_hold(request, payload: HoldIn):
    by = _admin(request)
    lead = member = None
    # Ids are looked up before anything else: another organisation's id is 404, like a missing one.
    if payload.lead_id is not None:
        lead = found(selectors.lead_in, request.org.pk, payload.lead_id)
    if payload.member_id is not None:
        member = found(selectors.member_in, request.org.pk, payload.member_id)
    try:
        hold = holds.create_hold(
            request.org,
            actor=Actor.from_request(request),
            by=by,
            reason=payload.reason,
            lead=lead,
            member=member,
        )
    except ActionError as exc:
        raise _as_422(exc) from None
    return Status(201, HoldOut.of(hold))


@router.get(
    "/privacy/holds/{hold_id}",
    response=HoldOut,
    summary="One legal hold",
    operation_id="leadtracker_privacy_erasure_api_get_hold",
)
def get_hold(request, hold_id: int):
    _admin(request)
    return HoldOut.of(found(selectors.legal_hold, request.org.pk, hold_id))


@router.post(
    "/privacy/holds/{hold_id}/release",
    response=HoldOut,
    summary="Release a hold (409 if released)",
    operation_id="leadtracker_privacy_erasure_api_release_hold",
)
def release_hold(request, hold_id: int):
    by = _admin(request)
    return HoldOut.of(
        holds.release_hold(
            found(selectors.legal_hold, request.org.pk, hold_id), actor=Actor.from_request(request), by=by
        )
    )
