"""Reads of shifts, with visibility: an agent sees their own, a manager their team's."""

import datetime as dt
from collections import defaultdict

from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.utils import timezone

from leadtracker.accounts.models import Membership
from leadtracker.accounts.visibility import visible, visible_memberships
from leadtracker.attendance.models import Shift
from leadtracker.lib.timeutil import ANY_FUTURE, ANY_PAST, check_within


def shifts_for(viewer: Membership):
    return visible(Shift.objects.all(), viewer, owner_field="user").select_related("user")


def get_shift(viewer: Membership, shift_id: int) -> Shift:
    return get_object_or_404(shifts_for(viewer), pk=shift_id)


def users_on_shift(org_id: int, user_ids=None) -> set[int]:
    qs = Shift.objects.filter(organisation_id=org_id, ended_at__isnull=True)
    if user_ids is not None:
        qs = qs.filter(user_id__in=list(user_ids))
    return set(qs.values_list("user_id", flat=True))


def on_shift_now(viewer: Membership) -> list[dict]:
    """Everyone the viewer may see, with their open shift if they have one, on shift first."""
    members = list(visible_memberships(viewer).filter(is_active=True).select_related("user"))
    open_shifts = {s.user_id: s for s in shifts_for(viewer).filter(ended_at__isnull=True)}
    rows = [{"member": m, "shift": open_shifts.get(m.user_id)} for m in members]
    rows.sort(key=lambda r: (r["shift"] is None, r["member"].user.full_name.lower()))
    return rows


def shifts_between(viewer: Membership, start: dt.datetime, end: dt.datetime, user_id: int | None = None):
    check_within(start, "start", past=ANY_PAST, future=ANY_FUTURE)
    check_within(end, "end", past=ANY_PAST, future=ANY_FUTURE)
    qs = (
        shifts_for(viewer).filter(started_at__lt=end).filter(Q(ended_at__gt=start) | Q(ended_at__isnull=True))
    )
    if user_id:
        qs = qs.filter(user_id=user_id)
    return qs.order_by("user__full_name", "started_at")


def timesheet(
    viewer: Membership, date_from: dt.date, date_to: dt.date, tz, user_id: int | None = None, now=None
) -> list[dict]:
    """Per person and local day: first in, last out, hours worked, breaks between shifts.
    A shift across midnight counts in each day for the part that falls in it."""
    now = now or timezone.now()
    start = dt.datetime.combine(date_from, dt.time.min, tz)
    end = dt.datetime.combine(date_to + dt.timedelta(days=1), dt.time.min, tz)
    days: dict[tuple, list] = defaultdict(list)
    for shift in shifts_between(viewer, start, end, user_id):
        s, e = shift.started_at, shift.ended_at or now
        day = s.astimezone(tz).date()
        while True:
            day_start = dt.datetime.combine(day, dt.time.min, tz)
            day_end = day_start + dt.timedelta(days=1)
            if day_start >= e or day > date_to:
                break
            if day >= date_from:
                days[(shift.user, day)].append((max(s, day_start), min(e, day_end), shift))
            day += dt.timedelta(days=1)
    rows = []
    for (user, day), parts in days.items():
        parts.sort(key=lambda p: p[0])
        worked = sum(((b - a) for a, b, _ in parts), dt.timedelta())
        breaks = sum(
            ((parts[i + 1][0] - parts[i][1]) for i in range(len(parts) - 1) if parts[i + 1][0] > parts[i][1]),
            dt.timedelta(),
        )
        rows.append(
            {
                "user": user,
                "day": day,
                "first_in": parts[0][0],
                "last_out": parts[-1][1],
                "still_open": any(p[2].ended_at is None for p in parts),
                "hours": worked.total_seconds() / 3600,
                "break_minutes": round(breaks.total_seconds() / 60),
                "shifts": len(parts),
                "auto_closed": any(p[2].closed_automatically for p in parts),
                "corrected": any(p[2].correction_reason for p in parts),
            }
        )
    rows.sort(key=lambda r: (r["day"], r["user"].full_name.lower()))
    return rows
