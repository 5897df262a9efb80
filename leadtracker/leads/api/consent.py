"""/api/v1/leads/{id}/consents and /api/v1/members/{id}/consents: marketing consent and its history."""

from django.utils.translation import gettext as _
from ninja import Status

from leadtracker.accounts.models import Membership, Role
from leadtracker.leads import consent
from leadtracker.leads.api.lookups import actor_of, lead_of
from leadtracker.leads.api.schemas import (
    ConsentIn,
    ConsentOut,
    LeadConsentOut,
    MemberConsentIn,
    MemberConsentOut,
)
from leadtracker.lib.errors import ActionError
from leadtracker.lib.router import Router

router = Router(ids_of="leadtracker.leads.api", tags=["leads"])


@router.get(
    "/leads/{lead_id}/consents", response=list[ConsentOut], summary="The lead's consent history, newest first"
)
def lead_consents(request, lead_id: int):
    return [ConsentOut.of(e) for e in consent.lead_history(lead_of(request, lead_id))]


@router.post(
    "/leads/{lead_id}/consents",
    response={201: ConsentOut, 200: LeadConsentOut},
    summary="Record consent given or withdrawn (201, the event); when it already was so, nothing is "
    "recorded and the answer is 200 with the lead's consent and its history, which may be empty",
)
def record_lead_consent(request, lead_id: int, payload: ConsentIn):
    lead = lead_of(request, lead_id)
    event = consent.set_lead_consent(
        lead,
        given=payload.given,
        method=payload.method,
        note=payload.note,
        actor=actor_of(request),
        by=request.membership,
    )
    if event is None:
        # Nothing changed. Not "the latest event": a lead that never consented has none, and
        # withdrawing what was never given was a 500.
        return Status(
            200,
            LeadConsentOut(
                marketing_consent=payload.given,
                history=[ConsentOut.of(e) for e in consent.lead_history(lead)],
            ),
        )
    return Status(201, ConsentOut.of(event))


@router.get(
    "/members/{member_id}/consents",
    response=MemberConsentOut,
    summary="A member's marketing consent and its history (the member or an admin)",
)
def member_consents(request, member_id: int):
    member = _consent_member(request, member_id)
    if member.pk != request.membership.pk and not request.membership.has_role(Role.ADMIN):
        raise ActionError(_("only the member or an admin sees this"), field="member_id", status_code=403)
    return MemberConsentOut(
        marketing_consent=consent.member_consent(member),
        history=[ConsentOut.of(e) for e in consent.member_history(member)],
    )


@router.post(
    "/members/{member_id}/consents",
    response={201: ConsentOut, 200: MemberConsentOut},
    summary="The member gives or withdraws their own marketing consent",
)
def record_member_consent(request, member_id: int, payload: MemberConsentIn):
    member = _consent_member(request, member_id)
    event = consent.set_member_consent(
        member, given=payload.given, note=payload.note, actor=actor_of(request), by=request.membership
    )
    if event is None:
        return Status(200, member_consents(request, member_id))
    return Status(201, ConsentOut.of(event))


def _consent_member(request, member_id: int):
    member = Membership.objects.filter(organisation_id=request.org.pk, pk=member_id).first()
    if member is None:
        raise ActionError(_("no such member in this organisation"), field="member_id", status_code=404)
    return member
