"""The roll-ups' figures computed another way: aggregate SQL over the raw tables (Django's
time-zone-aware TruncDate/ExtractHour), for tests to compare the roll-ups with."""

import datetime as dt
from collections import defaultdict

from django.db.models import Count, Max, Min, Q, Sum
from django.db.models.functions import Coalesce, ExtractHour, TruncDate

from leadtracker.attendance.models import Shift
from leadtracker.calls.models import Call, CallBack, CallStatus
from leadtracker.leads.models import Lead
from leadtracker.reports.models import (
    FollowUpDueCount,
    OpenCallBackCount,
    OrganisationDay,
    OrganisationHour,
    UserDay,
    UserHour,
)

TALKED = ["answered", "connected", "answered_elsewhere"]


def _counts() -> dict:
    out = {"calls": Count("id")}
    for status in CallStatus.values:
        out[status] = Count("id", filter=Q(status=status))
    out["calls_in"] = Count("id", filter=Q(direction="in"))
    out["calls_out"] = Count("id", filter=Q(direction="out"))
    out["talk_seconds"] = Coalesce(Sum("duration_s", filter=Q(status__in=TALKED)), 0)
    out["short_calls"] = Count("id", filter=Q(status__in=["answered", "connected"], duration_s__lt=10))
    return out


EMPTY_DAY = {
    "unique_leads": 0,
    "max_same_number": 0,
    "first_call_at": None,
    "last_call_at": None,
    "missed_returned": 0,
    "missed_not_returned": 0,
    "return_seconds": [],
    "shift_seconds": 0,
}


def direct_days(org) -> dict:
    tz = org.tzinfo
    calls = Call.objects.filter(organisation=org).annotate(local_day=TruncDate("started_at", tzinfo=tz))
    out: dict = defaultdict(lambda: {**dict.fromkeys(_counts(), 0), **EMPTY_DAY, "return_seconds": []})
    for r in calls.values("user_id", "local_day").annotate(
        **_counts(),
        unique_leads=Count("lead_id", distinct=True),
        first_call_at=Min("started_at"),
        last_call_at=Max("started_at"),
    ):
        key = (r.pop("user_id"), r.pop("local_day"))
        out[key].update(r)
    dialled = calls.filter(direction="out")
    for target in ("lead_id", "number"):
        per_target = (
            dialled.filter(lead__isnull=False)
            if target == "lead_id"
            else dialled.filter(lead__isnull=True).exclude(number="")
        )
        for r in per_target.values("user_id", "local_day", target).annotate(n=Count("id")):
            row = out[(r["user_id"], r["local_day"])]
            row["max_same_number"] = max(row["max_same_number"], r["n"])
    backs = CallBack.objects.filter(organisation=org).annotate(
        local_day=TruncDate("missed_call__started_at", tzinfo=tz)
    )
    for user_id, day, closed_at, seconds in backs.values_list(
        "missed_call__user_id", "local_day", "closed_at", "seconds_to_return"
    ):
        row = out[(user_id, day)]
        if closed_at is None:
            row["missed_not_returned"] += 1
        else:
            row["missed_returned"] += 1
            row["return_seconds"].append(seconds)
    for user_id, start, end in Shift.objects.filter(organisation=org, ended_at__isnull=False).values_list(
        "user_id", "started_at", "ended_at"
    ):
        day = start.astimezone(tz).date()
        while day <= end.astimezone(tz).date():
            lo = dt.datetime.combine(day, dt.time(0), tz)
            hi = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(0), tz)
            seconds = int((min(end, hi) - max(start, lo)).total_seconds())
            if seconds > 0:
                out[(user_id, day)]["shift_seconds"] += seconds
            day += dt.timedelta(days=1)
    for row in out.values():
        row["return_seconds"].sort()
    return {
        k: v
        for k, v in out.items()
        if v["calls"] or v["shift_seconds"] or v["missed_returned"] or v["missed_not_returned"]
    }


def direct_hours(org) -> dict:
    tz = org.tzinfo
    rows = (
        Call.objects.filter(organisation=org)
        .annotate(local_day=TruncDate("started_at", tzinfo=tz), hour=ExtractHour("started_at", tzinfo=tz))
        .values("user_id", "local_day", "hour")
        .annotate(**_counts())
    )
    return {(r.pop("user_id"), r.pop("local_day"), r.pop("hour")): r for r in rows}


def rollup_days(org) -> dict:
    skip = {"id", "organisation_id", "user_id", "day"}
    return {
        (r["user_id"], r["day"]): {k: v for k, v in r.items() if k not in skip}
        for r in UserDay.objects.filter(organisation=org).values()
    }


def rollup_hours(org) -> dict:
    skip = {"id", "organisation_id", "user_id", "day", "hour"}
    return {
        (r["user_id"], r["day"], r["hour"]): {k: v for k, v in r.items() if k not in skip}
        for r in UserHour.objects.filter(organisation=org).values()
    }


def assert_rollups_match(org) -> None:
    expected_days, got_days = direct_days(org), rollup_days(org)
    assert got_days.keys() == expected_days.keys()
    for key, row in expected_days.items():
        assert got_days[key] == row, key
    expected_hours = direct_hours(org)
    assert rollup_hours(org) == expected_hours
    # And the organisation's rows, summed by the triggers, from the same recount.
    assert_organisation_rollups_match(org, expected_days, expected_hours)
    assert_live_counts_match(org)


def direct_open_call_backs(org) -> dict:
    rows = CallBack.objects.filter(organisation=org, closed_at__isnull=True).values_list("assignee_id")
    return {assignee or 0: n for assignee, n in rows.annotate(n=Count("id")).order_by()}


def direct_follow_ups_due(org) -> dict:
    rows = (
        Lead.objects.filter(organisation=org, next_follow_up_at__isnull=False)
        .values_list(TruncDate("next_follow_up_at", tzinfo=dt.UTC))
        .annotate(n=Count("id"))
    )
    return dict(rows.order_by())


def assert_live_counts_match(org) -> None:
    """The counts the dashboard's whole-organisation tiles read (kept by triggers, reports
    0005) equal a count of the open call-backs by assignee and of the leads by due day."""
    kept_open = OpenCallBackCount.objects.filter(organisation=org).exclude(n=0)
    assert {r.assignee_id: r.n for r in kept_open} == direct_open_call_backs(org)
    kept_due = FollowUpDueCount.objects.filter(organisation=org).exclude(n=0)
    assert {r.day: r.n for r in kept_due} == direct_follow_ups_due(org)


def _summed(rows: dict, width: int, figures) -> dict:
    """Person rows summed by their key's last ``width`` parts (the day, or the day and hour),
    only the figures an organisation's row holds; keys whose figures are all 0 left out."""
    out: dict = {}
    for key, row in rows.items():
        total = out.setdefault(key[-width:], dict.fromkeys(figures, 0))
        for f in figures:
            total[f] += row[f]
    return {k: v for k, v in out.items() if any(v.values())}


def _organisation_rows(model, org, width: int, figures) -> dict:
    fields = ("day", "hour")[:width]
    return {
        tuple(r[f] for f in fields): {f: r[f] for f in figures}
        for r in model.objects.filter(organisation=org).values(*fields, *figures)
        if any(r[f] for f in figures)
    }


def assert_organisation_rollups_match(org, days: dict, hours: dict) -> None:
    """The organisation's day and hour rows (kept by triggers) equal the sums of ``days`` and
    ``hours`` (person-day and person-hour figures counted from the raw rows)."""
    key = ("id", "organisation", "day", "hour")
    day_figures = [f.name for f in OrganisationDay._meta.concrete_fields if f.name not in key]
    hour_figures = [f.name for f in OrganisationHour._meta.concrete_fields if f.name not in key]
    assert _organisation_rows(OrganisationDay, org, 1, day_figures) == _summed(days, 1, day_figures)
    assert _organisation_rows(OrganisationHour, org, 2, hour_figures) == _summed(hours, 2, hour_figures)
