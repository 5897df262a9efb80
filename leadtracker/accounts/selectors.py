"""Reads about organisations and people, with visibility applied."""

from django.db.models import Case, IntegerField, Value, When
from django.shortcuts import get_object_or_404

from leadtracker.accounts.audit import number_fingerprint
from leadtracker.accounts.models import (
    ApiToken,
    AuditEvent,
    Invitation,
    Membership,
    SupportRequest,
    SupportStatus,
    TokenKind,
)
from leadtracker.accounts.visibility import visible_memberships
from leadtracker.lib.timeutil import ANY_FUTURE, ANY_PAST, check_within


def members_for(viewer: Membership):
    return visible_memberships(viewer).select_related("user", "reports_to__user")


def get_member(viewer: Membership, member_id: int) -> Membership:
    return get_object_or_404(members_for(viewer), pk=member_id)


def managers_for_choice(org_id: int):
    return (
        Membership.objects.filter(organisation_id=org_id, is_active=True)
        .exclude(role="agent")
        .select_related("user")
        .order_by("user__full_name")
    )


def invitations_for(viewer: Membership):
    return Invitation.objects.filter(organisation_id=viewer.organisation_id).select_related(
        "reports_to__user"
    )


def get_invitation(viewer: Membership, invitation_id: int) -> Invitation:
    return get_object_or_404(invitations_for(viewer), pk=invitation_id)


def personal_tokens_for(viewer: Membership):
    """A person sees and manages only their own personal tokens in this organisation."""
    return ApiToken.objects.filter(
        organisation_id=viewer.organisation_id, user_id=viewer.user_id, kind=TokenKind.PERSONAL
    ).select_related("organisation")


def revocable_tokens_for(viewer: Membership):
    """Tokens the viewer may revoke: their own of any kind; an admin, any in the organisation
    (a lost phone or a leaked script token must be stoppable without the person)."""
    qs = ApiToken.objects.filter(organisation_id=viewer.organisation_id).select_related(
        "organisation", "user"
    )
    if viewer.has_role("admin"):
        return qs
    return qs.filter(user_id=viewer.user_id)


def get_revocable_token(viewer: Membership, token_id: int) -> ApiToken:
    return get_object_or_404(revocable_tokens_for(viewer), pk=token_id)


def tokens_of_member(viewer: Membership, member: Membership):
    return revocable_tokens_for(viewer).filter(user_id=member.user_id).order_by("-id")


def audit_events_for(
    viewer: Membership,
    *,
    action: str = "",
    object_type: str = "",
    object_id: str = "",
    actor_user_id: int | None = None,
    number: str = "",
    since=None,
    until=None,
):
    """``number``: the events of searches for this number, in any format (by its fingerprint)."""
    # A moment near year 1 or 9999 cannot even be turned into UTC for the query (the API's 422).
    check_within(since, "since", past=ANY_PAST, future=ANY_FUTURE)
    check_within(until, "until", past=ANY_PAST, future=ANY_FUTURE)
    qs = AuditEvent.objects.filter(organisation_id=viewer.organisation_id).select_related("actor_user")
    if action:
        qs = qs.filter(action__startswith=action)
    if object_type:
        qs = qs.filter(object_type=object_type)
    if object_id:
        qs = qs.filter(object_id=object_id)
    if actor_user_id:
        qs = qs.filter(actor_user_id=actor_user_id)
    if number:
        org = viewer.organisation
        qs = qs.filter(changes__number_hash=number_fingerprint(org.pk, number, org.phone_region))
    if since:
        qs = qs.filter(at__gte=since)
    if until:
        qs = qs.filter(at__lt=until)
    return qs


def get_audit_event(viewer: Membership, event_id: int) -> AuditEvent:
    return get_object_or_404(audit_events_for(viewer), pk=event_id)


def support_requests_for(viewer: Membership):
    """Admins and owners answer everyone's requests; anyone else sees only their own."""
    qs = SupportRequest.objects.filter(organisation_id=viewer.organisation_id).select_related(
        "requester", "answered_by"
    )
    if viewer.is_admin:
        return qs
    return qs.filter(requester_id=viewer.user_id)


def own_support_requests(viewer: Membership):
    """The viewer's own requests, newest first (an admin's "my requests" too)."""
    return support_requests_for(viewer).filter(requester_id=viewer.user_id).order_by("-created_at", "-id")


def support_queue(viewer: Membership, limit: int = 200):
    """The admins' list: open requests first (oldest waiting longest on top), then the rest,
    newest first."""
    waiting = Case(
        When(status=SupportStatus.OPEN, then=Value(0)), default=Value(1), output_field=IntegerField()
    )
    rows = support_requests_for(viewer).annotate(waiting=waiting)
    return rows.order_by("waiting", "-created_at", "-id")[:limit]


def get_support_request(viewer: Membership, support_request_id: int) -> SupportRequest:
    return get_object_or_404(support_requests_for(viewer), pk=support_request_id)
