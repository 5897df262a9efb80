"""/api/v1/privacy/holds — legal holds (list, place, release);
/api/v1/privacy/requests/{id}/erasure and /api/v1/privacy/members/{id}/erasure — what erasing
would change (GET) and erasing (POST). Admins and owners only; a hold answers 409."""

import datetime as dt

from ninja import Router, Schema, Status
from ninja.errors import HttpError
from pydantic import Field

from leadtracker.accounts.audit import Actor
from leadtracker.accounts.models import Role
from leadtracker.leads.models import TrashedLead
from leadtracker.lib.errors import ActionError
from leadtracker.lib.schema import Strict, require_role
from leadtracker.privacy import erasure, holds, selectors
from leadtracker.privacy.models import DataRequest, LegalHold

router = Router(tags=["privacy"])


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


class ErasureOut(Schema):
    erased: bool = Field(..., description="false: a preview of what erasing would change")
    counts: dict[str, int] = Field(..., description="rows (or files) per kind")
    held_by: int | None = Field(None, description="the unreleased legal hold that blocks erasure")


def _admin(request):
    return require_role(request, Role.ADMIN)


def _as_422(exc: ActionError) -> ActionError:
    # Bad input is 422 in the API (the actions' plain 400 is the pages' answer).
    if exc.status_code == 400:
        exc.status_code = 422
    return exc


@router.get("/privacy/holds", response=list[HoldOut], summary="Legal holds, unreleased first")
def list_holds(request):
    _admin(request)
    return [HoldOut.of(h) for h in holds.holds(request.org.pk)[:500]]


@router.post("/privacy/holds", response={201: HoldOut}, summary="Place a legal hold on a lead or a member")
def create_hold(request, payload: HoldIn):
    by = _admin(request)
    lead = member = None
    # Ids are looked up before anything else: another organisation's id is 404, like a missing one.
    if payload.lead_id is not None:
        lead = selectors.lead_in(request.org.pk, payload.lead_id)
        if lead is None:
            raise HttpError(404, "not found")
    if payload.member_id is not None:
        member = selectors.member_in(request.org.pk, payload.member_id)
        if member is None:
            raise HttpError(404, "not found")
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


def _hold(request, hold_id) -> LegalHold:
    try:
        return holds.hold(request.org.pk, hold_id)
    except LegalHold.DoesNotExist:
        raise HttpError(404, "not found") from None


@router.get("/privacy/holds/{hold_id}", response=HoldOut, summary="One legal hold")
def get_hold(request, hold_id: int):
    _admin(request)
    return HoldOut.of(_hold(request, hold_id))


@router.post("/privacy/holds/{hold_id}/release", response=HoldOut, summary="Release a hold (409 if released)")
def release_hold(request, hold_id: int):
    by = _admin(request)
    return HoldOut.of(holds.release_hold(_hold(request, hold_id), actor=Actor.from_request(request), by=by))


def _request(request, request_id) -> DataRequest:
    try:
        return selectors.data_request(request.org.pk, request_id)
    except DataRequest.DoesNotExist:
        raise HttpError(404, "not found") from None


def _request_subject(req: DataRequest):
    if req.kind != "erasure":
        raise ActionError("this is not an erasure request", field="kind", status_code=409)
    if req.lead is None and req.member is None:
        # A request whose lead was moved to the trash points at nothing now; the trash knows it.
        trashed = erasure.trashed_lead_of_request(req)
        if trashed is None:
            raise ActionError(
                "the person of this request is no longer held", field="subject", status_code=409
            )
        return trashed, None
    return req.lead, req.member


def _preview(org, lead, member) -> ErasureOut:
    if isinstance(lead, TrashedLead):
        return ErasureOut(erased=False, counts=erasure.trashed_lead_erasure_preview(lead), held_by=None)
    hold = erasure.active_hold(org, lead=lead, member=member)
    counts = (
        erasure.lead_erasure_preview(lead) if lead is not None else erasure.member_erasure_preview(member)
    )
    return ErasureOut(erased=False, counts=counts, held_by=hold.pk if hold else None)


@router.get(
    "/privacy/requests/{request_id}/erasure",
    response=ErasureOut,
    summary="What erasing the person of an erasure request would change",
)
def preview_request_erasure(request, request_id: int):
    _admin(request)
    lead, member = _request_subject(_request(request, request_id))
    return _preview(request.org, lead, member)


@router.post(
    "/privacy/requests/{request_id}/erasure",
    response=ErasureOut,
    summary="Erase the person of an erasure request and close it as done (409 under a legal hold)",
)
def erase_for_request(request, request_id: int):
    by = _admin(request)
    req = _request(request, request_id)
    lead, member = _request_subject(req)
    actor = Actor.from_request(request)
    if isinstance(lead, TrashedLead):
        counts = erasure.erase_trashed_lead(lead, actor=actor, by=by, data_request=req)
    elif lead is not None:
        counts = erasure.erase_lead(lead, actor=actor, by=by, data_request=req)
    else:
        counts = erasure.erase_member(member, actor=actor, by=by, data_request=req)
    return ErasureOut(erased=True, counts=counts)


def _member(request, member_id):
    member = selectors.member_in(request.org.pk, member_id)
    if member is None:
        raise HttpError(404, "not found")
    return member


@router.get(
    "/privacy/members/{member_id}/erasure", response=ErasureOut, summary="What erasing a member would change"
)
def preview_member_erasure(request, member_id: int):
    _admin(request)
    return _preview(request.org, None, _member(request, member_id))


@router.post(
    "/privacy/members/{member_id}/erasure",
    response=ErasureOut,
    summary="Erase a member who left: deactivate, anonymise, remove shift locations (409 under a hold)",
)
def erase_member(request, member_id: int):
    by = _admin(request)
    counts = erasure.erase_member(_member(request, member_id), actor=Actor.from_request(request), by=by)
    return ErasureOut(erased=True, counts=counts)
