"""Who may see whose personal data — the one place that decides it.

agent: own rows; manager: rows of their team's subtree (any depth), their own included;
admin and owner: the whole organisation. Every query of personal data in every app goes
through ``visible()`` (or the helpers below), always scoped to one organisation, so another
organisation's row can only ever answer 404.
"""

from django.db.models import Q, QuerySet

from leadtracker.accounts.models import Membership, Role


def subtree_membership_ids(viewer: Membership) -> set[int]:
    """The viewer's membership and everyone reporting to it, directly or not."""
    cached = getattr(viewer, "_subtree_ids", None)
    if cached is not None:
        return cached
    # One query for the whole organisation's tree; walking it in Python is cheap even at
    # thousands of members and avoids a recursive CTE per database.
    children: dict[int | None, list[int]] = {}
    for mid, parent in Membership.objects.filter(organisation_id=viewer.organisation_id).values_list(
        "id", "reports_to_id"
    ):
        children.setdefault(parent, []).append(mid)
    seen = {viewer.pk}
    stack = [viewer.pk]
    while stack:
        for child in children.get(stack.pop(), []):
            if child not in seen:
                seen.add(child)
                stack.append(child)
    viewer._subtree_ids = seen
    return seen


def sees_whole_organisation(viewer: Membership) -> bool:
    return viewer.has_role(Role.ADMIN)


def visible_user_ids(viewer: Membership) -> set[int] | None:
    """User ids whose rows the viewer may see; None means everyone in the organisation."""
    if sees_whole_organisation(viewer):
        return None
    if viewer.role == Role.AGENT:
        return {viewer.user_id}
    ids = subtree_membership_ids(viewer)
    return set(Membership.objects.filter(pk__in=ids).values_list("user_id", flat=True))


def visible(
    qs: QuerySet,
    viewer: Membership,
    *,
    owner_field: str = "owner",
    org_field: str = "organisation",
    unowned_to_managers: bool = False,
) -> QuerySet:
    """Rows of ``qs`` the viewer may see: always this organisation only, then by owner.

    ``unowned_to_managers``: rows nobody owns yet (a new lead waiting to be assigned) are
    visible to managers too, who hand them out; agents see only what is theirs.
    """
    qs = qs.filter(**{f"{org_field}_id": viewer.organisation_id})
    user_ids = visible_user_ids(viewer)
    if user_ids is None:
        return qs
    condition = Q(**{f"{owner_field}_id__in": user_ids})
    if unowned_to_managers and sees_unowned(viewer):
        condition |= Q(**{f"{owner_field}_id__isnull": True})
    return qs.filter(condition)


def sees_unowned(viewer: Membership) -> bool:
    """Whether rows nobody owns yet, where a kind of row lets managers hand them out
    (``visible(..., unowned_to_managers=True)``), are among what the viewer sees besides their
    people's: a manager's (the whole organisation's viewers see them anyway)."""
    return viewer.role == Role.MANAGER


def visible_memberships(viewer: Membership) -> QuerySet:
    qs = Membership.objects.filter(organisation_id=viewer.organisation_id)
    if sees_whole_organisation(viewer):
        return qs
    if viewer.role == Role.AGENT:
        return qs.filter(pk=viewer.pk)
    return qs.filter(pk__in=subtree_membership_ids(viewer))


def teams_for(viewer: Membership) -> list[Membership]:
    """Teams the viewer may narrow a page to (the dashboard, the missed-calls list): every
    active manager in what they see — for a manager, their own team and the teams under it."""
    return list(
        visible_memberships(viewer)
        .filter(role=Role.MANAGER, is_active=True)
        .select_related("user")
        .order_by("user__full_name", "pk")
    )
