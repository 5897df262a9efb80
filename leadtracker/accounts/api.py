"""/api/v1/ — the organisation, its members, invitations, personal tokens and audit log."""

import datetime as dt

from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from pydantic import Field

from leadtracker.accounts import actions, selectors
from leadtracker.accounts.audit import Actor
from leadtracker.accounts.auth import SessionAuth
from leadtracker.accounts.models import Membership, Role, SupportStatus
from leadtracker.accounts.support import actions as support_actions
from leadtracker.lib.pagination import keyset_page
from leadtracker.lib.schema import Choice, Email, Strict, TimeOfDay, require_role

router = Router(tags=["organisation and people"])


class OrganisationOut(Schema):
    id: int
    name: str
    slug: str
    time_zone: str
    phone_region: str
    currency: str
    language: str
    day_end: TimeOfDay
    digest_hour: int | None
    support_email: str
    support_phone: str
    audit_retention_days: int
    shift_location: bool
    calls_create_leads: bool
    usage_events: bool
    mask_other_numbers: bool
    require_mfa: bool


class OrganisationPatch(Strict):
    name: str | None = Field(None, max_length=150)
    time_zone: str | None = None
    phone_region: str | None = None
    currency: str | None = None
    language: str | None = Field(None, description="the members' language unless they chose one: en-in or hi")
    day_end: TimeOfDay | None = None
    digest_hour: int | None = Field(
        None, ge=0, le=23, description="local hour after which managers get the daily digest; null: no digest"
    )
    support_email: Email | None = None
    support_phone: str | None = Field(None, max_length=32)
    audit_retention_days: int | None = Field(None, ge=365, le=3650)
    shift_location: bool | None = None
    calls_create_leads: bool | None = None
    usage_events: bool | None = None
    mask_other_numbers: bool | None = Field(
        None, description="agents see only the last four digits of numbers of leads that are not theirs"
    )
    require_mfa: bool | None = Field(None, description="owners and admins must sign in with TOTP")


class OrgBrief(Schema):
    id: int
    name: str
    slug: str
    role: str


class MemberOut(Schema):
    id: int
    user_id: int
    email: str
    full_name: str
    phone: str
    role: str
    reports_to: int | None
    is_active: bool
    created_at: dt.datetime

    @staticmethod
    def from_membership(m: Membership) -> "MemberOut":
        return MemberOut(
            id=m.pk,
            user_id=m.user_id,
            email=m.user.email,
            full_name=m.user.full_name,
            phone=m.user.phone,
            role=m.role,
            reports_to=m.reports_to_id,
            is_active=m.is_active,
            created_at=m.created_at,
        )


class MeOut(Schema):
    user_id: int
    email: str
    full_name: str
    membership: MemberOut
    organisation: OrganisationOut
    organisations: list[OrgBrief]
    via: str


class Page(Schema):
    next_cursor: int | None


class MemberPage(Page):
    items: list[MemberOut]


class MemberPatch(Strict):
    role: Choice[Role] | None = None
    reports_to: int | None = Field(None, description="member id of the new manager; null for none")


class InvitationIn(Strict):
    email: Email
    role: Choice[Role] = Role.AGENT
    full_name: str = Field("", max_length=150)
    reports_to: int | None = None


class InvitationOut(Schema):
    id: int
    email: str
    role: str
    reports_to: int | None
    state: str
    created_at: dt.datetime
    expires_at: dt.datetime


class TokenIn(Strict):
    name: str = Field(..., min_length=1, max_length=100)


class TokenOut(Schema):
    id: int
    name: str
    kind: str
    prefix: str
    created_at: dt.datetime
    last_used_at: dt.datetime | None
    revoked_at: dt.datetime | None


class TokenCreated(TokenOut):
    token: str = Field(..., description="the secret; shown this once and never again")


class AuditEventOut(Schema):
    id: int
    action: str
    actor_kind: str
    actor_user_id: int | None
    actor_token_id: int | None
    object_type: str
    object_id: str
    at: dt.datetime
    ip_address: str | None
    changes: dict


class AuditPage(Page):
    items: list[AuditEventOut]


def _invitation_out(inv) -> InvitationOut:
    return InvitationOut(
        id=inv.pk,
        email=inv.email,
        role=inv.role,
        reports_to=inv.reports_to_id,
        state=inv.state,
        created_at=inv.created_at,
        expires_at=inv.expires_at,
    )


@router.get("/me", response=MeOut, summary="Who is calling, in which organisation")
def me(request):
    m = request.membership
    orgs = [
        OrgBrief(id=x.organisation_id, name=x.organisation.name, slug=x.organisation.slug, role=x.role)
        for x in Membership.objects.filter(user_id=m.user_id, is_active=True).select_related("organisation")
    ]
    token = getattr(request, "api_token", None)
    return MeOut(
        user_id=m.user_id,
        email=m.user.email,
        full_name=m.user.full_name,
        membership=MemberOut.from_membership(m),
        organisation=OrganisationOut.from_orm(m.organisation),
        organisations=orgs,
        via=token.kind if token else "session",
    )


@router.get("/organisation", response=OrganisationOut)
def get_organisation(request):
    return request.org


@router.patch("/organisation", response=OrganisationOut)
def patch_organisation(request, payload: OrganisationPatch):
    require_role(request, Role.ADMIN)
    return actions.update_organisation(
        request.org, actor=Actor.from_request(request), **payload.model_dump(exclude_unset=True)
    )


@router.get("/members", response=MemberPage, summary="Members the caller may see")
def list_members(request, cursor: int | None = None, limit: int = 50, active: bool | None = None):
    qs = selectors.members_for(request.membership)
    if active is not None:
        qs = qs.filter(is_active=active)
    rows, next_cursor = keyset_page(qs, cursor=cursor, limit=limit)
    return MemberPage(items=[MemberOut.from_membership(m) for m in rows], next_cursor=next_cursor)


@router.get("/members/{member_id}", response=MemberOut)
def get_member(request, member_id: int):
    return MemberOut.from_membership(selectors.get_member(request.membership, member_id))


@router.patch("/members/{member_id}", response=MemberOut)
def patch_member(request, member_id: int, payload: MemberPatch):
    member = selectors.get_member(request.membership, member_id)
    by = require_role(request, Role.ADMIN)
    fields = payload.model_fields_set
    manager = None
    if "reports_to" in fields and payload.reports_to is not None:
        manager = _member_in_org(request, payload.reports_to, "reports_to")
    actions.update_member(
        member,
        actor=Actor.from_request(request),
        by=by,
        role=payload.role if "role" in fields else None,
        reports_to=manager,
        set_reports_to="reports_to" in fields,
    )
    return MemberOut.from_membership(selectors.get_member(request.membership, member_id))


def _member_in_org(request, member_id: int, field: str) -> Membership:
    """A member id sent in a body: another organisation's answers 404, like a path id."""
    manager = Membership.objects.filter(organisation_id=request.org.pk, pk=member_id).first()
    if manager is None:
        raise actions.ActionError(_("no such member in this organisation"), field=field, status_code=404)
    return manager


@router.post("/members/{member_id}/deactivate", response=MemberOut)
def deactivate_member(request, member_id: int):
    member = selectors.get_member(request.membership, member_id)
    by = require_role(request, Role.ADMIN)
    actions.deactivate_member(member, actor=Actor.from_request(request), by=by)
    return MemberOut.from_membership(member)


@router.post("/members/{member_id}/reactivate", response=MemberOut)
def reactivate_member(request, member_id: int):
    member = selectors.get_member(request.membership, member_id)
    by = require_role(request, Role.ADMIN)
    actions.reactivate_member(member, actor=Actor.from_request(request), by=by)
    return MemberOut.from_membership(member)


@router.get("/invitations", response=list[InvitationOut])
def list_invitations(request):
    require_role(request, Role.ADMIN)
    return [_invitation_out(i) for i in selectors.invitations_for(request.membership).order_by("-id")[:500]]


@router.post("/invitations", response={201: InvitationOut})
def create_invitation(request, payload: InvitationIn):
    by = require_role(request, Role.ADMIN)
    manager = (
        _member_in_org(request, payload.reports_to, "reports_to") if payload.reports_to is not None else None
    )
    inv, _raw = actions.invite_member(
        request.org,
        email=payload.email,
        role=payload.role,
        reports_to=manager,
        full_name=payload.full_name,
        actor=Actor.from_request(request),
        inviter=by,
    )
    return Status(201, _invitation_out(inv))


@router.delete("/invitations/{invitation_id}", response=InvitationOut)
def revoke_invitation(request, invitation_id: int):
    inv = selectors.get_invitation(request.membership, invitation_id)
    require_role(request, Role.ADMIN)
    actions.revoke_invitation(inv, actor=Actor.from_request(request))
    return _invitation_out(inv)


@router.get("/tokens", response=list[TokenOut], summary="The caller's personal API tokens")
def list_tokens(request):
    return list(selectors.personal_tokens_for(request.membership).order_by("-id")[:500])


@router.post(
    "/tokens",
    response={201: TokenCreated},
    auth=[SessionAuth()],
    summary="Create a personal API token (signed-in session only, so a leaked token cannot mint more)",
)
def create_token(request, payload: TokenIn):
    token, raw = actions.create_api_token(
        request.membership, name=payload.name, actor=Actor.from_request(request)
    )
    return Status(201, TokenCreated(**TokenOut.from_orm(token).model_dump(), token=raw))


@router.delete("/tokens/{token_id}", response=TokenOut)
def revoke_token(request, token_id: int):
    token = selectors.get_revocable_token(request.membership, token_id)
    return actions.revoke_api_token(token, actor=Actor.from_request(request))


@router.get("/audit-events", response=AuditPage)
def list_audit_events(
    request,
    cursor: int | None = None,
    limit: int = 50,
    action: str = "",
    object_type: str = "",
    object_id: str = "",
    actor_user_id: int | None = None,
    number: str = Query("", max_length=32, description="searches for this number, in any format"),
    since: dt.datetime | None = None,
    until: dt.datetime | None = None,
):
    require_role(request, Role.ADMIN)
    qs = selectors.audit_events_for(
        request.membership,
        action=action,
        object_type=object_type,
        object_id=object_id,
        actor_user_id=actor_user_id,
        number=number,
        since=since,
        until=until,
    )
    rows, next_cursor = keyset_page(qs, cursor=cursor, limit=limit, descending=True)
    return AuditPage(items=rows, next_cursor=next_cursor)


@router.get("/audit-events/{event_id}", response=AuditEventOut)
def get_audit_event(request, event_id: int):
    require_role(request, Role.ADMIN)
    return selectors.get_audit_event(request.membership, event_id)


class SupportRequestIn(Strict):
    subject: str = Field(..., min_length=1, max_length=support_actions.SUPPORT_SUBJECT_MAX)
    message: str = Field(..., min_length=1, max_length=support_actions.SUPPORT_TEXT_MAX)


class SupportAnswerIn(Strict):
    answer: str = Field(..., min_length=1, max_length=support_actions.SUPPORT_TEXT_MAX)


class SupportRequestOut(Schema):
    id: int
    requester_id: int
    requester_name: str
    subject: str
    message: str
    status: str
    answer: str
    answered_by_id: int | None
    answered_at: dt.datetime | None
    closed_at: dt.datetime | None
    created_at: dt.datetime

    @staticmethod
    def resolve_requester_name(obj) -> str:
        return str(obj.requester)


class SupportRequestPage(Page):
    items: list[SupportRequestOut]


@router.get(
    "/support-requests",
    response=SupportRequestPage,
    tags=["support"],
    summary="Support requests: an admin's or owner's list holds everyone's, anyone else's their own",
)
def list_support_requests(
    request, cursor: int | None = None, limit: int = 50, status: SupportStatus | None = None
):
    qs = selectors.support_requests_for(request.membership)
    if status is not None:
        qs = qs.filter(status=status)
    rows, next_cursor = keyset_page(qs, cursor=cursor, limit=limit, descending=True)
    return SupportRequestPage(items=rows, next_cursor=next_cursor)


@router.post("/support-requests", response={201: SupportRequestOut}, tags=["support"])
def create_support_request(request, payload: SupportRequestIn):
    filed = support_actions.file_support_request(
        request.membership,
        subject=payload.subject,
        message=payload.message,
        actor=Actor.from_request(request),
    )
    return Status(201, selectors.get_support_request(request.membership, filed.pk))


@router.get("/support-requests/{support_request_id}", response=SupportRequestOut, tags=["support"])
def get_support_request(request, support_request_id: int):
    return selectors.get_support_request(request.membership, support_request_id)


@router.post(
    "/support-requests/{support_request_id}/answer",
    response=SupportRequestOut,
    tags=["support"],
    summary="Answer a request (admin or owner); the requester gets a notification",
)
def answer_support_request(request, support_request_id: int, payload: SupportAnswerIn):
    item = selectors.get_support_request(request.membership, support_request_id)
    by = require_role(request, Role.ADMIN)
    support_actions.answer_support_request(
        item, answer=payload.answer, actor=Actor.from_request(request), by=by
    )
    return selectors.get_support_request(request.membership, support_request_id)


@router.post("/support-requests/{support_request_id}/close", response=SupportRequestOut, tags=["support"])
def close_support_request(request, support_request_id: int):
    item = selectors.get_support_request(request.membership, support_request_id)
    by = require_role(request, Role.ADMIN)
    return support_actions.close_support_request(item, actor=Actor.from_request(request), by=by)
