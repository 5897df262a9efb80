"""Reads of leads, with visibility applied: every query of leads starts from leads_for()."""

import datetime as dt
import functools
import unicodedata
from collections import Counter
from difflib import SequenceMatcher
from itertools import permutations

import phonenumbers
from django.db import connection
from django.db.models import Count, F, Max, Q, QuerySet, Sum, Window
from django.db.models.functions import RowNumber
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from leadtracker.accounts.models import Membership, Role, User
from leadtracker.accounts.visibility import subtree_membership_ids, visible, visible_user_ids
from leadtracker.leads.models import (
    AssignmentRule,
    FollowUp,
    Lead,
    LeadPhone,
    LeadSource,
    LeadStatus,
    LeadTag,
    MessageTemplate,
    SavedView,
    Tag,
    WebhookEndpoint,
)
from leadtracker.lib import rows
from leadtracker.lib.phones import InvalidPhone, normalise, to_ascii_digits
from leadtracker.lib.timeutil import ANY_FUTURE, ANY_PAST, check_within


@functools.cache
def _numbers_and_tags_sql(vendor: str, n: int) -> str:
    """The UNION ALL of numbers_and_tags for ``n`` ids. Written by hand: the list and one lead
    run it on every request, and building and compiling its two querysets (and, on PostgreSQL,
    psycopg splitting a statement with two placeholders per id) cost several times running it
    (issue 21). PostgreSQL takes the ids as one array; SQLite a placeholder each."""
    quote = connection.ops.quote_name
    phone, lead_tag, tag = (quote(m._meta.db_table) for m in (LeadPhone, LeadTag, Tag))
    ids = "= ANY(%s::bigint[])" if vendor == "postgresql" else f"IN ({', '.join(['%s'] * n)})"
    return (
        f"SELECT 0, p.lead_id, p.e164, '', p.position, p.id FROM {phone} p WHERE p.lead_id {ids} "  # noqa: S608 - names from the models, values bound
        f"UNION ALL SELECT 1, lt.lead_id, t.name, t.name, 0, lt.tag_id FROM {lead_tag} lt "
        f"JOIN {tag} t ON t.id = lt.tag_id WHERE lt.lead_id {ids} "
        "ORDER BY 1, 4, 5, 6"
    )


def numbers_and_tags(ids: list[int]) -> list[tuple[int, int, str]]:
    """(is a tag, lead id, number or tag name) of the leads ``ids``, in one statement: the
    numbers in their order (position, id), then the tags by name (the database's collation) and
    id — each lead's as ``lead.phones.all()`` and ``lead.tags.all()`` give them."""
    if not ids:
        return []
    ids = [int(i) for i in ids]
    vendor = connection.vendor
    params = [ids, ids] if vendor == "postgresql" else ids + ids
    with rows.cursor(connection) as cursor:
        cursor.execute(_numbers_and_tags_sql(vendor, 1 if vendor == "postgresql" else len(ids)), params)
        return [(is_tag, lead_id, text) for is_tag, lead_id, text, *_ in cursor.fetchall()]


def numbers_and_tags_of(lead: Lead) -> tuple[list[LeadPhone], list[Tag]]:
    """One lead's numbers and tags in one statement (numbers_and_tags), as the objects a page
    shows (a number's e164, a tag's name), in the order of ``lead.phones.all()`` and
    ``lead.tags.all()``."""
    phones, tags = [], []
    for is_tag, _lead_id, text in numbers_and_tags([lead.pk]):
        if is_tag:
            tags.append(Tag(organisation_id=lead.organisation_id, name=text))
        else:
            phones.append(LeadPhone(organisation_id=lead.organisation_id, lead_id=lead.pk, e164=text))
    return phones, tags


def leads_for(viewer: Membership) -> QuerySet:
    return visible(Lead.objects.all(), viewer, owner_field="owner", unowned_to_managers=True)


def get_lead(viewer: Membership, lead_id: int) -> Lead:
    return visible_lead(viewer, lead_id, owner=True)


def visible_lead(viewer: Membership, lead_id: int, *, owner: bool = False) -> Lead:
    """``leads_for(viewer).select_related("status", "source"[, "owner"]).get(pk=lead_id)``, or
    404. One lead and the lead page read it on every request: for the whole organisation (an
    owner, an admin) and an agent (their own leads) by a statement written once per shape —
    prepared on PostgreSQL — because compiling the queryset cost more CPU than running it
    (about a fifth of a one-lead request, issue 21); a manager's team by the queryset."""
    related = ("status", "source", "owner") if owner else ("status", "source")
    mine = viewer.role == Role.AGENT
    if not (mine or viewer.has_role(Role.ADMIN)) or not isinstance(lead_id, int):
        return get_object_or_404(leads_for(viewer).select_related(*related), pk=lead_id)
    if not -(2**63) <= lead_id < 2**63:  # no such id (the queryset finds none either)
        raise Http404("no such lead")
    params = [viewer.organisation_id, lead_id, *([viewer.user_id] if mine else [])]
    with rows.cursor(connection) as cursor:
        cursor.execute(_lead_sql(connection.vendor, mine, owner), params)
        row = cursor.fetchone()
    if row is None:
        raise Http404("no such lead")
    lead, at = rows.build(Lead, row, 0)
    lead.status, at = rows.build(LeadStatus, row, at)
    source, at = rows.build(LeadSource, row, at)
    lead.source = source if lead.source_id is not None else None
    if owner:
        person, at = rows.build(User, row, at)
        lead.owner = person if lead.owner_id is not None else None
    return lead


@functools.cache
def _lead_sql(vendor: str, mine: bool, owner: bool) -> str:
    quote = connection.ops.quote_name
    tables = [(Lead, "l"), (LeadStatus, "s"), (LeadSource, "c"), *([(User, "u")] if owner else [])]
    columns = ", ".join(rows.select_list(model, alias, connection) for model, alias in tables)
    lead, status, source, user = (quote(m._meta.db_table) for m in (Lead, LeadStatus, LeadSource, User))
    return (
        f"SELECT {columns} FROM {lead} l JOIN {status} s ON s.id = l.status_id "  # noqa: S608 - names from the models, values bound
        f"LEFT JOIN {source} c ON c.id = l.source_id "
        + (f"LEFT JOIN {user} u ON u.id = l.owner_id " if owner else "")
        + "WHERE l.organisation_id = %s AND l.id = %s"
        + (" AND l.owner_id = %s" if mine else "")
    )


def statuses(org_id: int) -> QuerySet:
    return LeadStatus.objects.filter(organisation_id=org_id, is_active=True).order_by("position", "id")


def sources(org_id: int) -> QuerySet:
    return LeadSource.objects.filter(organisation_id=org_id).order_by("name")


def tags(org_id: int) -> QuerySet:
    return Tag.objects.filter(organisation_id=org_id).order_by("name")


def message_templates(org_id: int) -> QuerySet:
    return MessageTemplate.objects.filter(organisation_id=org_id).order_by("position", "id")


def assignment_rules(org_id: int) -> QuerySet:
    return (
        AssignmentRule.objects.filter(organisation_id=org_id)
        .prefetch_related("agents")
        .select_related("source")
    )


def webhooks(org_id: int, deliveries: int = 10) -> list[tuple[WebhookEndpoint, list]]:
    """The organisation's webhook endpoints, each with its latest deliveries."""
    return [
        (hook, list(hook.deliveries.order_by("-id")[:deliveries]))
        for hook in WebhookEndpoint.objects.filter(organisation_id=org_id).order_by("id")
    ]


def status_ids(org_id: int) -> set[int]:
    """Every status of the organisation, retired ones too."""
    return set(LeadStatus.objects.filter(organisation_id=org_id).values_list("pk", flat=True))


def get_setting(model, org_id: int, pk: int):
    """One of the organisation's settings (a source, rule, webhook, message template or tag), else 404."""
    return get_object_or_404(model, organisation_id=org_id, pk=pk)


CHOICES = ("status_choices", "source_choices", "tag_choices", "owner_choices", "team_choices")


_LISTS = (LeadStatus, LeadSource, Tag)


@functools.cache
def _lists_sql(vendor: str) -> str:
    """The organisation's active statuses, its sources and its tags in one UNION ALL: each
    branch has every list's columns, its own filled and the others NULL, after four to sort by
    (the list; position for statuses, name for the others; id). Written by hand (lib/rows.py
    says why): the leads page reads all three on every visit."""
    quote = connection.ops.quote_name
    # Typed NULLs: PostgreSQL types a UNION's column pair by pair, and NULL with NULL is text.
    nulls = [
        ", ".join(f"CAST(NULL AS {f.db_type(connection)})" for f in m._meta.concrete_fields) for m in _LISTS
    ]
    branches = []
    for i, model in enumerate(_LISTS):
        own = rows.select_list(model, "x", connection)
        columns = ", ".join([*nulls[:i], own, *nulls[i + 1 :]])
        position, name = ("x.position", "''") if model is LeadStatus else ("0", "x.name")
        active = " AND x.is_active = %s" if model is LeadStatus else ""
        branches.append(
            f"SELECT {i}, {position}, {name}, x.id, {columns} FROM {quote(model._meta.db_table)} x "  # noqa: S608 - names from the models
            f"WHERE x.organisation_id = %s{active}"
        )
    return " UNION ALL ".join(branches) + " ORDER BY 1, 2, 3, 4"


def organisation_lists(org_id: int) -> tuple[list, list, list]:
    """statuses(org_id), sources(org_id) and tags(org_id), each in its order, as the ORM reads
    them, in one statement."""
    with connection.cursor() as cursor:
        cursor.execute(_lists_sql(connection.vendor), [org_id, True, org_id, org_id])
        found = cursor.fetchall()
    widths = [len(m._meta.concrete_fields) for m in _LISTS]
    made = ([], [], [])
    for row in found:
        i = row[0]
        made[i].append(rows.build(_LISTS[i], row, 4 + sum(widths[:i]))[0])
    return made


def choices(viewer: Membership, names: tuple[str, ...] = CHOICES) -> dict:
    """What the organisation offers to choose from: every status, source, tag, the members the
    viewer may give a lead to, and the teams. Named *_choices so that they never share a name
    with what one lead has (its tags, its status, its owner) in a page's context. ``names``: only
    those a page shows (each is a query; owners and teams are one)."""
    org_id = viewer.organisation_id
    wants_members = viewer.role != Role.AGENT and not {"owner_choices", "team_choices"}.isdisjoint(names)
    members = assignable_list(viewer) if wants_members else []
    together = None
    if {"status_choices", "source_choices", "tag_choices"} <= set(names):  # one statement (the leads page)
        together = organisation_lists(org_id)
    made = {
        "status_choices": lambda: together[0] if together else list(statuses(org_id)),
        "source_choices": lambda: together[1] if together else list(sources(org_id)),
        "tag_choices": lambda: together[2] if together else list(tags(org_id)),
        "owner_choices": lambda: members,
        "team_choices": lambda: [m for m in members if m.role != Role.AGENT],
    }
    return {name: made[name]() for name in names}


def get_follow_up(viewer: Membership, follow_up_id: int) -> FollowUp:
    """A follow-up on a lead the viewer may see, else 404 (whoever it is assigned to)."""
    return get_object_or_404(
        FollowUp.objects.select_related("lead__organisation").filter(lead__in=leads_for(viewer)),
        pk=follow_up_id,
    )


def assignable_members(viewer: Membership) -> QuerySet:
    """Active members the viewer may hand a lead to: admins anyone, managers their
    subtree, agents only themselves."""
    qs = Membership.objects.filter(organisation_id=viewer.organisation_id, is_active=True).select_related(
        "user"
    )
    if viewer.has_role(Role.ADMIN):
        return qs.order_by("user__full_name", "id")
    if viewer.role == Role.MANAGER:
        return qs.filter(pk__in=subtree_membership_ids(viewer)).order_by("user__full_name", "id")
    return qs.filter(pk=viewer.pk)


def assignable_list(viewer: Membership) -> list[Membership]:
    """``list(assignable_members(viewer))``, each with its user. The lead page and the leads page
    offer them on every request: for an admin (the whole organisation) a statement written once
    (prepared on PostgreSQL), not a queryset compiled each time; a manager's subtree and an agent
    by the queryset."""
    if not viewer.has_role(Role.ADMIN):
        return list(assignable_members(viewer))
    with rows.cursor(connection) as cursor:
        cursor.execute(_members_sql(connection.vendor), [viewer.organisation_id, True])
        found = cursor.fetchall()
    members = []
    for row in found:
        member, at = rows.build(Membership, row, 0)
        member.user = rows.build(User, row, at)[0]
        members.append(member)
    return members


@functools.cache
def _members_sql(vendor: str) -> str:
    quote = connection.ops.quote_name
    columns = f"{rows.select_list(Membership, 'm', connection)}, {rows.select_list(User, 'u', connection)}"
    member, user = quote(Membership._meta.db_table), quote(User._meta.db_table)
    return (
        f"SELECT {columns} FROM {member} m JOIN {user} u ON u.id = m.user_id "  # noqa: S608 - names from the models, values bound
        "WHERE m.organisation_id = %s AND m.is_active = %s ORDER BY u.full_name, m.id"
    )


def can_assign_to(viewer: Membership, user_id: int | None) -> bool:
    if user_id is None:
        return viewer.role != Role.AGENT
    return assignable_members(viewer).filter(user_id=user_id).exists()


def phone_query(text: str, org_id: int, region: str) -> Q | None:
    """A number typed in any format, or its first or last digits, as a condition on leads; None
    when the text is not a number."""
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
    # The last digits: a range on the reversed digits uses the index on both databases; the
    # first digits, a range on the number. One subquery, so a lead is still a semi-join on it.
    suffix = digits[::-1]
    upper = suffix[:-1] + chr(ord(suffix[-1]) + 1)
    ends = Q(digits_reversed__gte=suffix, digits_reversed__lt=upper)
    starts = _first_digits(stripped, digits, region)
    return Q(
        pk__in=LeadPhone.objects.filter(
            Q(organisation_id=org_id) & (ends if starts is None else ends | starts)
        ).values("lead_id")
    )


def _first_digits(stripped: str, digits: str, region: str) -> Q | None:
    """The first digits of a number in the organisation's region, as a telecaller remembers
    "the one starting 98765": a range on the number, on the (organisation, e164) index. Only
    for four digits or more that start a national number (not "+…", not a trunk "0")."""
    code = phonenumbers.country_code_for_region(region)
    if len(digits) < 4 or stripped.startswith("+") or digits[0] == "0" or not code or set(digits) == {"9"}:
        return None
    # The next prefix by arithmetic ("98769" -> "98770"), digits only: a bound such as "9876:"
    # would sort by the database's collation, where punctuation may not count.
    return Q(e164__gte=f"+{code}{digits}", e164__lt=f"+{code}{int(digits) + 1:0{len(digits)}d}")


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
    if follow_up in {"overdue", "today", "week"}:
        now = timezone.now()
        end_of_day = dt.datetime.combine(now.astimezone(tz).date() + dt.timedelta(days=1), dt.time.min, tz)
        if follow_up == "overdue":
            qs = qs.filter(next_follow_up_at__lt=now)
        else:
            # "week": today and the six days after it ("Site visits this week").
            end = end_of_day + dt.timedelta(days=6) if follow_up == "week" else end_of_day
            qs = qs.filter(next_follow_up_at__gte=now, next_follow_up_at__lt=end)
    # A day near year 1 or 9999 cannot be turned into a moment in the zone (the API's 422).
    check_within(created_from, "created_from", past=ANY_PAST, future=ANY_FUTURE)
    check_within(created_to, "created_to", past=ANY_PAST, future=ANY_FUTURE)
    if created_from:
        qs = qs.filter(created_at__gte=dt.datetime.combine(created_from, dt.time.min, tz))
    if created_to:
        qs = qs.filter(created_at__lt=dt.datetime.combine(created_to + dt.timedelta(days=1), dt.time.min, tz))
    return qs


def overdue_follow_ups(viewer: Membership, *, team=None) -> int:
    """How many leads the viewer sees (of ``team``'s people when given) have their next
    follow-up past: what filter_leads(leads_for(viewer), viewer, team=team,
    follow_up="overdue").count() says, shaped for the index lead_follow_up_by_owner (leads
    migration 0015) so the dashboard's live tile reads index entries only — a range per owner,
    and a manager's unowned leads as a second range added in the same statement (the OR of the
    two that visible() writes makes PostgreSQL read every matching row: 78 ms against 9 ms
    for a team at 1,000,000 leads)."""
    owners = visible_user_ids(viewer)
    overdue = Lead.objects.filter(
        organisation_id=viewer.organisation_id, next_follow_up_at__lt=timezone.now()
    ).order_by()
    if team:
        manager = Membership.objects.filter(organisation_id=viewer.organisation_id, pk=team).first()
        overdue = overdue.filter(owner__memberships__in=subtree_membership_ids(manager) if manager else set())
        return (overdue if owners is None else overdue.filter(owner_id__in=owners)).count()
    if owners is None:
        return overdue.count()
    owned = overdue.filter(owner_id__in=owners)
    if viewer.role != Role.MANAGER:
        return owned.count()
    nobodys = overdue.filter(owner_id__isnull=True)
    return owned.values("next_follow_up_at").union(nobodys.values("next_follow_up_at"), all=True).count()


def agenda(viewer: Membership, tz, now=None) -> dict:
    """The viewer's open follow-ups: overdue, today, upcoming (next 7 days)."""
    now = now or timezone.now()
    start_tomorrow = dt.datetime.combine(now.astimezone(tz).date() + dt.timedelta(days=1), dt.time.min, tz)
    open_items = (
        FollowUp.objects.open()
        .filter(
            organisation_id=viewer.organisation_id,
            assignee_id=viewer.user_id,
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


# Dropped before names are compared: "Mr. R. Kumar" is compared as "r kumar".
HONORIFICS = {
    "mr",
    "mrs",
    "ms",
    "dr",
    "shri",
    "smt",
    "sri",
    "kumari",
    "miss",
    "prof",
    "ji",
    "श्री",
    "श्रीमती",
    "सुश्री",
    "डॉ",
    "जी",
}

# Two names are "similar" when their words, sorted, are at least this alike by difflib's
# ratio (2 × matching characters / total characters): "Rajesh Kumaar" ~ "Rajesh Kumar" (0.96),
# "Priya Sarma" ~ "Priya Sharma" (0.96), but not "Anil Kumar" ~ "Akhil Kumar" (0.86), who
# are two people. One changed letter in a long name still passes ("Ramesh"/"Rajesh Patel",
# 0.92): the finder proposes pairs for a person to look at, at the same company only.
SIMILAR_NAMES = 0.9
# Bounds, so the finder costs the same at a million leads as at a thousand: the companies
# with the newest leads first, and within a company its newest leads. At worst that is
# 200 × (50 × 49 / 2) ≈ 250,000 name comparisons, about a second of Python; companies
# with two or three leads, the usual case, take a fraction of that.
COMPANIES_COMPARED = 200
LEADS_PER_COMPANY = 50
COMPANY_BATCH = 100


def name_words(name: str) -> list[str]:
    """A name's words for comparing: Unicode-normalised, case-folded, punctuation dropped,
    honorifics dropped. Letters, digits and combining marks count as word characters, so
    Devanagari vowel signs stay in their word ("राजेश", not "र ज श")."""
    text = unicodedata.normalize("NFKC", name).casefold()
    text = "".join(c if unicodedata.category(c)[0] in "LMN" else " " for c in text)
    return [w for w in text.split() if w not in HONORIFICS]


def _initial_of(a: str, b: str) -> bool:
    return (len(a) == 1 and b.startswith(a)) or (len(b) == 1 and a.startswith(b))


def initials_match(a: list[str], b: list[str]) -> bool:
    """ "R. Kumar" ~ "Rajesh Kumar", "R K Sharma" ~ "Rajesh Kumar Sharma": as many words on
    each side, at least one full word (longer than a letter) in common, and every other word
    an initial of its counterpart. "R. Kumar" and "S. Kumar" do not match."""
    if len(a) != len(b) or len(a) < 2 or not any(len(w) == 1 for w in a + b):
        return False
    common = Counter(a) & Counter(b)
    if not any(len(w) > 1 for w in common):
        return False
    left = list((Counter(a) - common).elements())
    right = list((Counter(b) - common).elements())
    if len(left) > 5:  # nobody has six initials; and it keeps the permutations small
        return False
    return any(
        all(_initial_of(x, y) for x, y in zip(left, order, strict=True)) for order in permutations(right)
    )


class _Name:
    """One lead's name, prepared once for comparing with every other at its company."""

    __slots__ = ("pk", "words", "same", "sorted_text", "written_text", "has_initial")

    def __init__(self, pk: int, words: list[str]):
        self.pk, self.words = pk, words
        self.sorted_text = " ".join(sorted(words))
        self.written_text = " ".join(words)
        self.has_initial = any(len(w) == 1 for w in words)
        # Equal for the same words in any order or spacing: "Kumar Rajesh", "राजेश  कुमार",
        # and "Rajkumar" / "Raj Kumar".
        self.same = ("".join(words), self.sorted_text)


def _matchers(later: _Name) -> tuple[SequenceMatcher, SequenceMatcher]:
    # difflib indexes its second sequence once; each earlier name is then set as the first.
    return (
        SequenceMatcher(None, "", later.sorted_text, autojunk=False),
        SequenceMatcher(None, "", later.written_text, autojunk=False),
    )


def _similar(earlier: _Name, later: _Name, matchers: tuple[SequenceMatcher, SequenceMatcher]) -> bool:
    """The words, sorted (or as written), at least SIMILAR_NAMES alike."""
    a, b = len(earlier.sorted_text), len(later.sorted_text)
    if 2 * min(a, b) / (a + b) < SIMILAR_NAMES:  # the lengths alone rule most pairs out
        return False
    for matcher, text in zip(matchers, (earlier.sorted_text, earlier.written_text), strict=True):
        matcher.set_seq1(text)
        if matcher.quick_ratio() >= SIMILAR_NAMES and matcher.ratio() >= SIMILAR_NAMES:
            return True
    return False


def _similar_in_company(rows: list[tuple[int, str]]) -> list[tuple[int, int, str]]:
    """Pairs (earlier, later, reason) among one company's leads. Two names (as name_words)
    are likely one person when they have:

    - "same name": the same words in any order or spacing;
    - "similar name": their words, sorted (or as written), at least SIMILAR_NAMES alike;
    - "same initials and surname": see initials_match.

    Each lead is paired at most once — with the oldest lead of the same name, else the first
    earlier lead it resembles — so three records of one person give two pairs (both merge
    into the oldest), not three."""
    pairs = []
    seen: list[_Name] = []
    first_with: dict[str, int] = {}
    for pk, raw in sorted(rows):
        words = name_words(raw)
        if not words:
            continue
        name = _Name(pk, words)
        same = next((first_with[key] for key in name.same if key in first_with), None)
        if same is not None:
            pairs.append((same, pk, "same name"))
        else:
            matchers = _matchers(name)
            for earlier in seen:
                if _similar(earlier, name, matchers):
                    pairs.append((earlier.pk, pk, "similar name"))
                    break
                if (earlier.has_initial or name.has_initial) and initials_match(earlier.words, words):
                    pairs.append((earlier.pk, pk, "same initials and surname"))
                    break
        for key in name.same:
            first_with.setdefault(key, pk)
        seen.append(name)
    return pairs


def duplicate_pairs(viewer: Membership, limit: int = 200) -> list[dict]:
    """Likely duplicates among the leads the viewer sees. Numbers and e-mails are unique by
    constraint, so what is left: leads created anyway over a duplicate, and the same or a
    similar name (see _similar_in_company) at the same company (compared by Lead.company_key:
    case, spaces and punctuation aside).

    The database finds the companies with two or more leads (GROUP BY on the indexed
    company_key); only those companies' names are read, a bounded number of each."""
    leads = leads_for(viewer)
    pairs, seen = [], set()
    flagged = list(leads.filter(extra__has_key="possible_duplicate_of").values_list("pk", "extra")[:limit])
    others = {extra.get("possible_duplicate_of") for _pk, extra in flagged}
    # One query for all: only pairs whose other lead the viewer may see too.
    visible_others = set(
        leads.filter(pk__in=[o for o in others if isinstance(o, int)]).values_list("pk", flat=True)
    )
    for pk, extra in flagged:
        other = extra.get("possible_duplicate_of")
        if other in visible_others and (pk, other) not in seen:
            seen.add((pk, other))
            pairs.append({"lead_id": other, "other_id": pk, "reason": "created anyway over a duplicate"})
    companies = list(
        leads.exclude(company_key="")
        .values("company_key")
        .annotate(leads=Count("pk"), newest=Max("pk"))
        .filter(leads__gte=2)
        .order_by("-newest")
        .values_list("company_key", flat=True)[:COMPANIES_COMPARED]
    )
    for start in range(0, len(companies), COMPANY_BATCH):
        if len(pairs) >= limit:
            break
        batch = companies[start : start + COMPANY_BATCH]
        newest_first = Window(RowNumber(), partition_by=[F("company_key")], order_by=F("pk").desc())
        rows = (
            leads.filter(company_key__in=batch)
            .exclude(name="")
            .annotate(rank=newest_first)
            .filter(rank__lte=LEADS_PER_COMPANY)
            .values_list("company_key", "pk", "name")
        )
        by_company: dict[str, list[tuple[int, str]]] = {key: [] for key in batch}
        for key, pk, name in rows:
            by_company[key].append((pk, name))
        for key in batch:  # newest company first, as chosen above
            for earlier, later, reason in _similar_in_company(by_company[key]):
                if len(pairs) >= limit:
                    return pairs
                pairs.append(
                    {"lead_id": earlier, "other_id": later, "reason": f"{reason} at the same company"}
                )
    return pairs


def totals_by_status(qs: QuerySet) -> dict[int, tuple[int, object]]:
    """{status id: (how many leads, their total value)} of ``qs``, in one grouped query: the
    board's column headers count the whole column, not the page of cards it shows."""
    rows = qs.order_by().values("status_id").annotate(n=Count("id"), total=Sum("value"))
    return {row["status_id"]: (row["n"], row["total"]) for row in rows}


def _managers_above(viewer: Membership) -> list[int]:
    """User ids of the viewer's manager, their manager, and so on up (one query; none for who
    reports to nobody, as read with this request: an owner)."""
    if viewer.reports_to_id is None:
        return []
    rows = {
        mid: (parent, user_id)
        for mid, parent, user_id in Membership.objects.filter(
            organisation_id=viewer.organisation_id
        ).values_list("id", "reports_to_id", "user_id")
    }
    above, parent = [], rows.get(viewer.pk, (None, None))[0]
    while parent in rows and rows[parent][1] not in above:
        parent, user_id = rows[parent]
        above.append(user_id)
    return above


def saved_views_for(viewer: Membership) -> QuerySet:
    """The viewer's own views (and their list settings, named "") and the views their
    managers shared with the team."""
    return SavedView.objects.filter(organisation_id=viewer.organisation_id).filter(
        Q(owner_id=viewer.user_id) | Q(shared=True, owner_id__in=_managers_above(viewer))
    )


def get_saved_view(viewer: Membership, view_id: int) -> SavedView:
    return get_object_or_404(saved_views_for(viewer).exclude(name=""), pk=view_id)
