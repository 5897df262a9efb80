"""/api/v1/privacy/requests/{id}/erasure and /api/v1/privacy/members/{id}/erasure — what erasing
would change (GET) and erasing (POST). Admins and owners only; a hold answers 409."""

from django.utils.translation import gettext as _
from ninja import Router, Schema
from pydantic import Field

from leadtracker.accounts.audit import Actor
from leadtracker.accounts.models import Role
from leadtracker.leads.models import TrashedLead
from leadtracker.lib.errors import ActionError, found
from leadtracker.lib.schema import require_role
from leadtracker.privacy import selectors
from leadtracker.privacy.erasure import actions as erasure
from leadtracker.privacy.models import DataRequest

router = Router(tags=["privacy"])
# Operation ids are spelled out as they were when the module was privacy/erasure_api.py (ninja derives them
# from the module's path): generated clients call them by these names.


class ErasureOut(Schema):
    erased: bool = Field(..., description="false: a preview of what erasing would change")
    counts: dict[str, int] = Field(..., description="rows (or files) per kind")
    held_by: int | None = Field(None, description="the unreleased legal hold that blocks erasure")


def _admin(request):
    return require_role(request, Role.ADMIN)


def _request_subject(req: DataRequest):
    if req.kind != "erasure":
        raise ActionError(_("this is not an erasure request"), field="kind", status_code=409)
    if req.lead is None and req.member is None:
        # A request whose lead was moved to the trash points at nothing now; the trash knows it.
        trashed = selectors.trashed_lead_of_request(req)
        if trashed is None:
            raise ActionError(
                _("the person of this request is no longer held"), field="subject", status_code=409
            )
        return trashed, None
    return req.lead, req.member


def _preview(org, lead, member) -> ErasureOut:
    if isinstance(lead, TrashedLead):
        return ErasureOut(erased=False, counts=erasure.trashed_lead_erasure_preview(lead), held_by=None)
    hold = selectors.active_hold(org, lead=lead, member=member)
    counts = (
        erasure.lead_erasure_preview(lead) if lead is not None else erasure.member_erasure_preview(member)
    )
    return ErasureOut(erased=False, counts=counts, held_by=hold.pk if hold else None)


@router.get(
    "/privacy/requests/{request_id}/erasure",
    response=ErasureOut,
    summary="What erasing the person of an erasure request would change",
    operation_id="leadtracker_privacy_erasure_api_preview_request_erasure",
)
def preview_request_erasure(request, request_id: int):
    _admin(request)
    lead, member = _request_subject(found(selectors.data_request, request.org.pk, request_id))
    return _preview(request.org, lead, member)


@router.post(
    "/privacy/requests/{request_id}/erasure",
    response=ErasureOut,
    summary="Erase the person of an erasure request and close it as done (409 under a legal hold)",
    operation_id="leadtracker_privacy_erasure_api_erase_for_request",
)
def erase_for_request(request, request_id: int):
    by = _admin(request)
    req = found(selectors.data_request, request.org.pk, request_id)
    lead, member = _request_subject(req)
    actor = Actor.from_request(request)
    if isinstance(lead, TrashedLead):
        counts = erasure.erase_trashed_lead(lead, actor=actor, by=by, data_request=req)
    elif lead is not None:
        counts = erasure.erase_lead(lead, actor=actor, by=by, data_request=req)
    else:
        counts = erasure.erase_member(member, actor=actor, by=by, data_request=req)
    return ErasureOut(erased=True, counts=counts)


@router.get(
    "/privacy/members/{member_id}/erasure",
    response=ErasureOut,
    summary="What erasing a member would change",
    operation_id="leadtracker_privacy_erasure_api_preview_member_erasure",
)
def preview_member_erasure(request, member_id: int):
    _admin(request)
    return _preview(request.org, None, found(selectors.member_in, request.org.pk, member_id))


@router.post(
    "/privacy/members/{member_id}/erasure",
    response=ErasureOut,
    summary="Erase a member who left: deactivate, anonymise, remove shift locations (409 under a hold)",
    operation_id="leadtracker_privacy_erasure_api_erase_member",
)
def erase_member(request, member_id: int):
    by = _admin(request)
    counts = erasure.erase_member(
        found(selectors.member_in, request.org.pk, member_id), actor=Actor.from_request(request), by=by
    )
    return ErasureOut(erased=True, counts=counts)
