"""The calling queue: a person's leads in the order they should be called, one at a time.

Missed calls to return come first (oldest first), then overdue follow-ups, then follow-ups due
later today, then new leads never called. A lead is in the queue once, for its first reason.
An entry leaves the queue when the person records an outcome on its lead after the entry
arose (a call-back after its last miss, a follow-up after it was planned): so a follow-up
planned "in 1 hour" from the sheet comes back in an hour, and yesterday's overdue one that
was dealt with today stays out until tomorrow if nobody closed it.

The queue is of the person's own leads only (owned by them, and the call-back or follow-up
given to them), so it never holds a lead they may not open. The same few statements count
every agent's queue for a manager, whatever the team's size.
"""

import dataclasses
import datetime as dt

from django.db.models import F, Max, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from leadtracker.accounts.models import Membership, Role
from leadtracker.accounts.visibility import visible_memberships
from leadtracker.calls.models import Call, CallBack, TalkScript
from leadtracker.calls.selectors import calls_for
from leadtracker.leads.models import Activity, ActivityKind, FollowUp, Lead, StatusKind

# Each kind of entry is read oldest first up to this many: a queue longer than a day's work
# gains nothing from being read whole.
LIMIT = 300

REASONS = {
    "call_back": _("Missed call to return"),
    "overdue": _("Follow-up overdue"),
    "today": _("Follow-up due today"),
    "new": _("New lead, never called"),
}


SKIPS_KEY = "calling_queue"


def skips_of(session, today: dt.date) -> dict:
    """Today's skips kept in the person's session: {"skipped": [lead ids in order], "dropped":
    [lead ids]}. A skip is a person's plan for their day, not a record of the lead: it lives
    as long as the day (an earlier day's are dropped) and with the person's session."""
    kept = session.get(SKIPS_KEY) or {}
    if kept.get("day") != today.isoformat():
        return {"skipped": [], "dropped": []}
    return {"skipped": list(kept.get("skipped", [])), "dropped": list(kept.get("dropped", []))}


@dataclasses.dataclass
class Entry:
    lead_id: int
    reason: str
    since: dt.datetime  # missed at, due at, or arrived at
    opened: dt.datetime  # when the entry arose: an outcome recorded after it deals with it
    skipped: bool = False

    @property
    def reason_label(self) -> str:
        return REASONS[self.reason]


@dataclasses.dataclass
class Queue:
    entries: list[Entry]
    done: int  # leads the person recorded an outcome on today

    @property
    def total(self) -> int:
        return self.done + len(self.entries)

    @property
    def current(self) -> Entry | None:
        return self.entries[0] if self.entries else None


def day_bounds(now: dt.datetime, tz) -> tuple[dt.datetime, dt.datetime]:
    """Today's start and tomorrow's, in the organisation's zone."""
    today = now.astimezone(tz).date()
    start = dt.datetime.combine(today, dt.time.min, tz)
    return start, dt.datetime.combine(today + dt.timedelta(days=1), dt.time.min, tz)


def _callable(org_id: int):
    """Leads one can call: with a number, not erased, not marked do-not-call."""
    return Lead.objects.filter(organisation_id=org_id, erased_at__isnull=True, do_not_call=False).exclude(
        phone=""
    )


def _rows(org_id: int, user_ids, now: dt.datetime, tz) -> tuple[dict[int, list[Entry]], dict[int, int]]:
    """Every person's entries (user id -> entries in queue order, one per lead, nothing dealt
    with today), and how many leads each dealt with today. Four statements, however many
    people."""
    start, tomorrow = day_bounds(now, tz)
    callable_ids = _callable(org_id).values("pk")
    call_backs = (
        CallBack.objects.filter(
            organisation_id=org_id,
            assignee_id__in=user_ids,
            closed_at__isnull=True,
            lead__owner_id=F("assignee_id"),
            lead__in=callable_ids,
        )
        .order_by("missed_at", "id")
        .values_list("assignee_id", "lead_id", "missed_at", "last_missed_at")[:LIMIT]
    )
    follow_ups = (
        FollowUp.objects.open()
        .filter(
            organisation_id=org_id,
            assignee_id__in=user_ids,
            due_at__lt=tomorrow,
            lead__owner_id=F("assignee_id"),
            lead__in=callable_ids,
        )
        .order_by("due_at", "id")
        .values_list("assignee_id", "lead_id", "due_at", "created_at")[:LIMIT]
    )
    new = (
        _callable(org_id)
        .filter(owner_id__in=user_ids, last_contacted_at__isnull=True, status__kind=StatusKind.OPEN)
        .order_by("created_at", "id")
        .values_list("owner_id", "pk", "created_at", "created_at")[:LIMIT]
    )
    dealt = {
        (row["disposed_by_id"], row["lead_id"]): row["at"]
        for row in Call.objects.filter(
            organisation_id=org_id, disposed_by_id__in=user_ids, disposed_at__gte=start, lead__isnull=False
        )
        .values("disposed_by_id", "lead_id")
        .annotate(at=Max("disposed_at"))
        .order_by()
    }
    found: dict[int, list[Entry]] = {}
    seen: set[tuple[int, int]] = set()
    fus = list(follow_ups)
    kinds = [
        ("call_back", list(call_backs)),
        ("overdue", [r for r in fus if r[2] < now]),
        ("today", [r for r in fus if r[2] >= now]),
        ("new", list(new)),
    ]
    for reason, rows in kinds:
        for user_id, lead_id, since, opened in rows:
            key = (user_id, lead_id)
            if key in seen:
                continue
            seen.add(key)
            # Dealt with since the entry arose; or planned for later today by the person who
            # dealt with it today ("in 1 hour"): it comes back when it falls due.
            if key in dealt and (dealt[key] >= opened or reason == "today"):
                continue
            found.setdefault(user_id, []).append(Entry(lead_id, reason, since, opened))
    done: dict[int, int] = {}
    for user_id, _lead_id in dealt:
        done[user_id] = done.get(user_id, 0) + 1
    return found, done


def queue_for(viewer: Membership, tz, *, skipped=(), dropped=(), now=None) -> Queue:
    """The viewer's queue. ``skipped``: lead ids skipped today, in the order they were
    skipped — they go to the end, in that order; ``dropped``: lead ids set aside for today."""
    now = now or timezone.now()
    rows, done = _rows(viewer.organisation_id, [viewer.user_id], now, tz)
    dropped = set(dropped)
    entries = [e for e in rows.get(viewer.user_id, []) if e.lead_id not in dropped]
    order = {lead_id: i for i, lead_id in enumerate(skipped)}
    for e in entries:
        e.skipped = e.lead_id in order
    entries.sort(key=lambda e: (e.skipped, order.get(e.lead_id, 0)))
    return Queue(entries=entries, done=done.get(viewer.user_id, 0))


def team_queue_lengths(viewer: Membership, tz, now=None) -> list[dict]:
    """For a manager: each agent of their team (an admin's: of the organisation) with how many
    leads wait in their queue and how many they dealt with today."""
    if not viewer.has_role(Role.MANAGER):
        return []
    now = now or timezone.now()
    agents = list(
        visible_memberships(viewer)
        .filter(role=Role.AGENT, is_active=True)
        .select_related("user")
        .order_by("user__full_name", "pk")
    )
    if not agents:
        return []
    rows, done = _rows(viewer.organisation_id, [m.user_id for m in agents], now, tz)
    return [
        {
            "member": m,
            "waiting": len(rows.get(m.user_id, [])),
            "done": done.get(m.user_id, 0),
        }
        for m in agents
    ]


def lead_card(viewer: Membership, entry: Entry) -> dict:
    """What the queue shows of its current lead: the lead, its latest outcomes and note, the
    talk scripts of its status and source. Four statements."""
    lead = (
        Lead.objects.filter(organisation_id=viewer.organisation_id, owner_id=viewer.user_id)
        .select_related("status", "source")
        .get(pk=entry.lead_id)
    )
    calls = list(
        calls_for(viewer)
        .filter(lead_id=lead.pk)
        .filter(Q(outcome__isnull=False) | ~Q(note=""))
        .select_related("outcome")
        .order_by("-started_at", "-id")[:3]
    )
    note = Activity.objects.filter(lead_id=lead.pk, kind=ActivityKind.NOTE).order_by("-at", "-id").first()
    target = Q(status_id=lead.status_id)
    if lead.source_id:
        target |= Q(source_id=lead.source_id)
    # The status's script first: it says where the conversation is; the source's, how it began.
    scripts = sorted(
        TalkScript.objects.filter(Q(organisation_id=viewer.organisation_id) & target),
        key=lambda s: s.status_id is None,
    )
    return {"lead": lead, "calls": calls, "note": note, "scripts": scripts}
