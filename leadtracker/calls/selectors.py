"""Reads of devices and calls, with visibility: your own; a manager's team's; an admin's all."""

import dataclasses
import datetime as dt
import functools

from django.conf import settings
from django.db import connection
from django.db.models import Count, Exists, OuterRef, Q, Sum
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from leadtracker.accounts.models import Membership, Role, User
from leadtracker.accounts.visibility import (
    sees_whole_organisation,
    visible,
    visible_memberships,
    visible_user_ids,
)
from leadtracker.attendance.models import Shift
from leadtracker.attendance.selectors import users_on_shift
from leadtracker.calls.models import Call, CallBack, Device, Outcome, UsageDay
from leadtracker.leads import masking
from leadtracker.leads.models import Lead
from leadtracker.leads.selectors import leads_for
from leadtracker.lib import rows
from leadtracker.lib.phones import InvalidPhone, normalise
from leadtracker.lib.timeutil import ANY_FUTURE, ANY_PAST, check_within


def devices_for(viewer: Membership):
    return visible(Device.objects.all(), viewer, owner_field="user").select_related("user")


def get_device(viewer: Membership, device_id: int) -> Device:
    return get_object_or_404(devices_for(viewer), pk=device_id)


def health(viewer: Membership, now=None) -> list[dict]:
    """Each active device with whether it is stale: its person is on shift and it has not
    synced for DEVICE_STALE_MINUTES."""
    now = now or timezone.now()
    devices = list(devices_for(viewer).filter(revoked_at__isnull=True).order_by("user__full_name", "name"))
    on_shift = users_on_shift(viewer.organisation_id, {d.user_id for d in devices})
    limit = dt.timedelta(minutes=settings.DEVICE_STALE_MINUTES)
    rows = []
    for d in devices:
        last = d.last_sync_at or d.paired_at
        rows.append(
            {
                "device": d,
                "on_shift": d.user_id in on_shift,
                "stale": d.user_id in on_shift and now - last > limit,
            }
        )
    return rows


def health_counts(viewer: Membership, user_ids=None, *, flagged: int = 10, now=None) -> dict:
    """The dashboard's devices tile: how many active devices (of ``user_ids``' people, or all
    the viewer sees), how many stale (as ``health``), how many with the call log's permission
    revoked, and the first ``flagged`` of those two kinds (``health``'s rows) — counted by the
    database, not by loading every device (200 of them for a 200-agent organisation)."""
    now = now or timezone.now()
    devices = devices_for(viewer).filter(revoked_at__isnull=True)
    if user_ids is not None:
        devices = devices.filter(user_id__in=list(user_ids))
    on_shift = Shift.objects.filter(
        organisation_id=viewer.organisation_id, user_id=OuterRef("user_id"), ended_at__isnull=True
    )
    limit = now - dt.timedelta(minutes=settings.DEVICE_STALE_MINUTES)
    stale = Q(on_shift=True) & Q(seen__lt=limit)
    revoked = Q(call_log_permission="revoked")
    devices = devices.annotate(on_shift=Exists(on_shift), seen=Coalesce("last_sync_at", "paired_at"))
    counts = devices.aggregate(
        devices=Count("id"), stale=Count("id", filter=stale), revoked=Count("id", filter=revoked)
    )
    first = devices.filter(stale | revoked).order_by("user__full_name", "name")[:flagged] if flagged else []
    rows = [{"device": d, "on_shift": d.on_shift, "stale": d.on_shift and d.seen < limit} for d in first]
    return {**counts, "flagged": rows}


# --- calls ---------------------------------------------------------------------------------


def calls_for(viewer: Membership):
    """Calls the viewer may see: their own; a manager's team's; an admin's all."""
    return visible(Call.objects.all(), viewer, owner_field="user")


def get_call(viewer: Membership, call_id: int) -> Call:
    """``calls_for(viewer).select_related("user", "lead", "outcome").get(pk=call_id)``, or 404.
    Recording an outcome reads it on every request: for the whole organisation and an agent
    (their own calls) by a statement written once per shape (prepared on PostgreSQL), not a
    queryset compiled each time; a manager's team by the queryset."""
    whole = sees_whole_organisation(viewer)
    if not (whole or viewer.role == Role.AGENT) or not isinstance(call_id, int):
        return get_object_or_404(calls_for(viewer).select_related("user", "lead", "outcome"), pk=call_id)
    if not -(2**63) <= call_id < 2**63:  # no such id (the queryset finds none either)
        raise Http404("no such call")
    params = [viewer.organisation_id, call_id, *([] if whole else [viewer.user_id])]
    with rows.cursor(connection) as cursor:
        cursor.execute(_call_sql(connection.vendor, not whole), params)
        row = cursor.fetchone()
    if row is None:
        raise Http404("no such call")
    call, at = rows.build(Call, row, 0)
    call.user, at = rows.build(User, row, at)
    lead, at = rows.build(Lead, row, at)
    call.lead = lead if call.lead_id is not None else None
    outcome, at = rows.build(Outcome, row, at)
    call.outcome = outcome if call.outcome_id is not None else None
    return call


@functools.cache
def _call_sql(vendor: str, mine: bool) -> str:
    quote = connection.ops.quote_name
    tables = [(Call, "c"), (User, "u"), (Lead, "l"), (Outcome, "o")]
    columns = ", ".join(rows.select_list(model, alias, connection) for model, alias in tables)
    call, user, lead, outcome = (quote(m._meta.db_table) for m, _alias in tables)
    return (
        f"SELECT {columns} FROM {call} c JOIN {user} u ON u.id = c.user_id "  # noqa: S608 - names from the models, values bound
        f"LEFT JOIN {lead} l ON l.id = c.lead_id LEFT JOIN {outcome} o ON o.id = c.outcome_id "
        "WHERE c.organisation_id = %s AND c.id = %s" + (" AND c.user_id = %s" if mine else "")
    )


def call_backs_for(viewer: Membership):
    return visible(CallBack.objects.all(), viewer, owner_field="assignee", unowned_to_managers=True)


def waiting_call_backs(viewer: Membership, assignee_ids=None):
    """Call-backs still open that the viewer sees; ``assignee_ids`` (ids or a subquery of user
    ids) keeps those assigned to these people — how the dashboard's tile and its list count."""
    qs = call_backs_for(viewer).filter(closed_at__isnull=True)
    return qs if assignee_ids is None else qs.filter(assignee_id__in=assignee_ids)


def missed_to_return(viewer: Membership, limit: int = 200, assignee_ids=None) -> list[CallBack]:
    """Missed calls, from leads and from numbers that are no lead, that nobody has talked
    with since, oldest first; with the outcome recorded on the missed call."""
    return list(
        waiting_call_backs(viewer, assignee_ids)
        .select_related("lead", "assignee", "missed_call__outcome")
        .order_by("missed_at", "id")[:limit]
    )


def outcomes(org_id: int, *, active_only: bool = True):
    qs = Outcome.objects.filter(organisation_id=org_id)
    return qs.filter(is_active=True) if active_only else qs


@dataclasses.dataclass
class CallFilter:
    user_id: int | None = None
    team_of: int | None = None  # a manager's membership id: their subtree
    status: str = ""
    direction: str = ""
    start: dt.datetime | None = None
    end: dt.datetime | None = None
    lead: str = ""  # "", "lead" (linked to a lead), "unknown" (not), or a lead id


def filter_calls(viewer: Membership, f: CallFilter):
    # A moment near year 1 or 9999 cannot even be turned into UTC for the query (the API's 422).
    check_within(f.start, "start", past=ANY_PAST, future=ANY_FUTURE)
    check_within(f.end, "end", past=ANY_PAST, future=ANY_FUTURE)
    qs = calls_for(viewer)
    if f.user_id:
        qs = qs.filter(user_id=f.user_id)
    if f.team_of:
        team = visible_memberships(viewer).filter(pk=f.team_of).first()
        if team is None:
            return qs.none()
        ids = visible_user_ids(team)
        if ids is not None:  # None: an admin's "team" is everyone
            qs = qs.filter(user_id__in=ids)
    if f.status:
        qs = qs.filter(status=f.status)
    if f.direction:
        qs = qs.filter(direction=f.direction)
    if f.start:
        qs = qs.filter(started_at__gte=f.start)
    if f.end:
        qs = qs.filter(started_at__lt=f.end)
    if f.lead == "lead":
        qs = qs.filter(lead__isnull=False)
    elif f.lead == "unknown":
        qs = qs.filter(lead__isnull=True)
    elif f.lead.isdigit():
        qs = qs.filter(lead_id=int(f.lead))
    return qs


def recent_calls(viewer: Membership, limit: int = 50) -> list[Call]:
    """The viewer's own latest calls, for recording outcomes on a phone."""
    return list(
        Call.objects.filter(organisation_id=viewer.organisation_id, user_id=viewer.user_id)
        .select_related("lead", "outcome")
        .order_by("-started_at", "-id")[:limit]
    )


def usage_summary(org_id: int, days: int = 30) -> dict:
    """Admins' usage page: events per day, and which app versions and systems report."""
    since = UsageDay.day_of() - dt.timedelta(days=days)
    rows = UsageDay.objects.filter(organisation_id=org_id, day__gte=since)
    by_event = dict(rows.values("event").annotate(n=Sum("count")).order_by("event").values_list("event", "n"))
    versions = list(
        Device.objects.filter(organisation_id=org_id, revoked_at__isnull=True)
        .values("app_version", "os_version", "platform")
        .annotate(devices=Count("id"))
        .order_by("-devices", "app_version")
    )
    daily = list(rows.values("day", "event").annotate(n=Sum("count")).order_by("day", "event"))
    return {"by_event": by_event, "versions": versions, "daily": daily, "days": days}


def mark_lead_makers(calls, region: str) -> list:
    """Set ``can_make_lead`` on calls: no lead yet, and a number a lead can have (not withheld,
    not a service or short code — sync keeps those as the digits the phone had)."""
    calls = list(calls)
    for c in calls:
        c.can_make_lead = False
        if c.lead_id is None and c.number.startswith("+"):
            try:
                c.can_make_lead = normalise(c.number, region) == c.number
            except InvalidPhone:
                pass
    return calls


def mark_visible_leads(viewer: Membership, calls) -> list:
    """Set ``lead_visible`` on each call: a call may match a colleague's lead, whose name the
    viewer must not see (visibility is decided by the leads' rule, not by the call's)."""
    calls = list(calls)
    ids = {c.lead_id for c in calls if c.lead_id}
    seen = set(leads_for(viewer).filter(pk__in=ids).values_list("pk", flat=True)) if ids else set()
    for c in calls:
        c.lead_visible = c.lead_id in seen
    return calls


def call_shown(viewer: Membership, call_id: int, region: str) -> Call:
    """One call as its pages show it (404 unless the viewer sees it): whether its lead is the
    viewer's to see, its number masked as the viewer's role asks, and whether a lead can be made
    of it."""
    call = get_call(viewer, call_id)
    mark_visible_leads(viewer, [call])
    masking.mark_calls(viewer, [call])
    mark_lead_makers([call], region)
    return call
