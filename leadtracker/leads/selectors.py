"""Reads of leads, with visibility applied: every query of leads starts from leads_for()."""

import datetime as dt

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from leadtracker.accounts.models import Membership, Role
from leadtracker.accounts.visibility import subtree_membership_ids, visible
from leadtracker.leads.models import Activity, FollowUp, Lead, LeadPhone, LeadSource, LeadStatus, Tag
from leadtracker.lib.phones import InvalidPhone, normalise, to_ascii_digits


def leads_for(viewer: Membership) -> QuerySet:
    return visible(Lead.objects.all(), viewer, owner_field="owner", unowned_to_managers=True)


def get_lead(viewer: Membership, lead_id: int) -> Lead:
    return get_object_or_404(leads_for(viewer).select_related("status", "source", "owner"), pk=lead_id)


def statuses(org_id: int) -> QuerySet:
    return LeadStatus.objects.filter(organisation_id=org_id, is_active=True).order_by("position", "id")


def sources(org_id: int) -> QuerySet:
    return LeadSource.objects.filter(organisation_id=org_id).order_by("name")


def tags(org_id: int) -> QuerySet:
    return Tag.objects.filter(organisation_id=org_id).order_by("name")


def assignable_members(viewer: Membership) -> QuerySet:
    """Active members the viewer may hand a lead to: admins anyone, managers their
    subtree, agents only themselves."""
    qs = Membership.objects.filter(organisation_id=viewer.organisation_id, is_active=True).select_related(
        "user"
    )
    if viewer.has_role(Role.ADMIN):
        return qs.order_by("user__full_name")
    if viewer.role == Role.MANAGER:
        return qs.filter(pk__in=subtree_membership_ids(viewer)).order_by("user__full_name")
    return qs.filter(pk=viewer.pk)


def can_assign_to(viewer: Membership, user_id: int | None) -> bool:
    if user_id is None:
        return viewer.role != Role.AGENT
    return assignable_members(viewer).filter(user_id=user_id).exists()


def phone_query(text: str, org_id: int, region: str) -> Q | None:
    """A number typed in any format, or its last digits, as a condition on leads; None when
    the text is not a number."""
    digits = "".join(ch for ch in to_ascii_digits(text) if ch.isdigit())
    stripped = (
        to_ascii_digits(text).strip().replace(" ", "").replace("-", "").replace("(", "").replace(")", "")
    )
    if len(digits) < 3 or not stripped.lstrip("+").isdigit():
        return None
    try:
        e164 = normalise(text, region)
    except InvalidPhone:
        e164 = None
    if e164:
        return Q(pk__in=LeadPhone.objects.filter(organisation_id=org_id, e164=e164).values("lead_id"))
    # The last digits: a range on the reversed digits uses the index on both databases.
    suffix = digits[::-1]
    upper = suffix[:-1] + chr(ord(suffix[-1]) + 1)
    return Q(
        pk__in=LeadPhone.objects.filter(
            organisation_id=org_id, digits_reversed__gte=suffix, digits_reversed__lt=upper
        ).values("lead_id")
    )


def search(qs: QuerySet, text: str, org_id: int, region: str) -> QuerySet:
    text = (text or "").strip()
    if not text:
        return qs
    by_phone = phone_query(text, org_id, region)
    if by_phone is not None:
        return qs.filter(by_phone)
    return qs.filter(Q(name__icontains=text) | Q(company__icontains=text) | Q(email__icontains=text.lower()))


def filter_leads(
    qs: QuerySet,
    viewer: Membership,
    *,
    status=None,
    owner=None,
    team=None,
    source=None,
    tag=None,
    follow_up=None,
    created_from=None,
    created_to=None,
    unassigned=False,
    tz=None,
) -> QuerySet:
    if status:
        qs = qs.filter(status_id=status)
    if owner:
        qs = qs.filter(owner_id=owner)
    if unassigned:
        qs = qs.filter(owner__isnull=True)
    if team:
        # A team is a manager's subtree; only within what the viewer may see anyway.
        manager = Membership.objects.filter(organisation_id=viewer.organisation_id, pk=team).first()
        ids = subtree_membership_ids(manager) if manager else set()
        qs = qs.filter(owner__memberships__in=ids)
    if source:
        qs = qs.filter(source_id=source)
    if tag:
        qs = qs.filter(pk__in=Tag.objects.filter(pk=tag).values("leads"))
    tz = tz or timezone.get_current_timezone()
    if follow_up in {"overdue", "today"}:
        now = timezone.now()
        end_of_day = dt.datetime.combine(now.astimezone(tz).date() + dt.timedelta(days=1), dt.time.min, tz)
        if follow_up == "overdue":
            qs = qs.filter(next_follow_up_at__lt=now)
        else:
            qs = qs.filter(next_follow_up_at__gte=now, next_follow_up_at__lt=end_of_day)
    if created_from:
        qs = qs.filter(created_at__gte=dt.datetime.combine(created_from, dt.time.min, tz))
    if created_to:
        qs = qs.filter(created_at__lt=dt.datetime.combine(created_to + dt.timedelta(days=1), dt.time.min, tz))
    return qs


def timeline(lead: Lead, limit: int = 200) -> list[Activity]:
    """Newest first: the lead's activities and what other apps add (calls)."""
    from leadtracker.leads.timeline import SOURCES

    entries = list(
        Activity.objects.filter(lead=lead).select_related("actor", "follow_up").order_by("-at", "-id")[:limit]
    )
    for source in SOURCES:
        entries += source(lead, limit)
    entries.sort(key=lambda a: a.at, reverse=True)
    return entries[:limit]


def agenda(viewer: Membership, tz, now=None) -> dict:
    """The viewer's open follow-ups: overdue, today, upcoming (next 7 days)."""
    now = now or timezone.now()
    start_tomorrow = dt.datetime.combine(now.astimezone(tz).date() + dt.timedelta(days=1), dt.time.min, tz)
    open_items = (
        FollowUp.objects.filter(
            organisation_id=viewer.organisation_id,
            assignee_id=viewer.user_id,
            done_at__isnull=True,
            lead__in=leads_for(viewer),  # never a lead they cannot open
        )
        .select_related("lead")
        .order_by("due_at", "id")
    )
    return {
        "overdue": list(open_items.filter(due_at__lt=now)[:100]),
        "today": list(open_items.filter(due_at__gte=now, due_at__lt=start_tomorrow)[:100]),
        "upcoming": list(
            open_items.filter(due_at__gte=start_tomorrow, due_at__lt=start_tomorrow + dt.timedelta(days=7))[
                :100
            ]
        ),
    }


HONORIFICS = {"mr", "mrs", "ms", "dr", "shri", "smt", "sri", "kumari", "miss", "prof"}


def _name_key(name: str) -> str:
    words = [
        w for w in "".join(c if c.isalnum() else " " for c in name.lower()).split() if w not in HONORIFICS
    ]
    return " ".join(words)


def duplicate_pairs(viewer: Membership, limit: int = 200) -> list[dict]:
    """Likely duplicates among the leads the viewer sees. Numbers and e-mails are unique by
    constraint, so what is left: leads created anyway over a duplicate, and the same name
    (ignoring case, punctuation and honorifics) at the same company."""
    leads = leads_for(viewer)
    pairs, seen = [], set()
    flagged = leads.filter(extra__has_key="possible_duplicate_of").values_list("pk", "extra")
    for pk, extra in flagged[:limit]:
        other = extra.get("possible_duplicate_of")
        if other and leads.filter(pk=other).exists() and (pk, other) not in seen:
            seen.add((pk, other))
            pairs.append({"lead_id": other, "other_id": pk, "reason": "created anyway over a duplicate"})
    groups: dict[tuple, list[int]] = {}
    rows = leads.exclude(company="").exclude(name="").values_list("pk", "name", "company").order_by("company")
    for pk, name, company in rows.iterator(chunk_size=2000):
        groups.setdefault((_name_key(company), _name_key(name)), []).append(pk)
        if len(pairs) >= limit:
            break
    for ids in groups.values():
        for other in ids[1:]:
            if len(pairs) >= limit:
                return pairs
            pairs.append({"lead_id": ids[0], "other_id": other, "reason": "same name at the same company"})
    return pairs
