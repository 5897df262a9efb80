"""The dashboard's figures (reports/selectors.py), from calls sent through the real sync API and
shifts punched through the attendance actions: the roll-ups they read are kept by the upkeep."""

import datetime as dt

import pytest
from django.utils import timezone

from leadtracker.accounts.audit import Actor
from leadtracker.attendance import actions as attendance
from leadtracker.leads.models import LeadSource, LeadStatus, StatusKind
from leadtracker.reports import selectors
from leadtracker.reports.selectors import Range, range_for, scope_user_ids
from leadtracker.testing import call, clocks, make_lead, open_shift, paired_client, send

LEAD_NUMBER = "+919876543210"


def phone_of(member):
    open_shift(member)
    return paired_client(member)


def two_days(org) -> Range:
    # The test's calls are at most a few hours old; two days hold them whatever the hour.
    today = selectors.today_in(org)
    return Range(today - dt.timedelta(days=1), today)


@clocks()
def test_ranges_are_dates_in_the_organisations_zone(frozen_at, acme):
    today = dt.date(2026, 3, 10)
    assert range_for(acme.org, "today", today) == Range(today, today)
    assert range_for(acme.org, "yesterday", today) == Range(dt.date(2026, 3, 9), dt.date(2026, 3, 9))
    assert range_for(acme.org, "7d", today) == Range(dt.date(2026, 3, 4), today)
    assert range_for(acme.org, "30d", today).days == 30
    with pytest.raises(ValueError, match="unknown range"):
        range_for(acme.org, "90d", today)
    ist_now = timezone.now().astimezone(dt.timezone(dt.timedelta(hours=5, minutes=30)))
    assert selectors.today_in(acme.org) == ist_now.date()


def test_scope_follows_the_tree(acme, globex):
    a = acme
    assert scope_user_ids(a.olga) is None and scope_user_ids(a.adam) is None
    assert scope_user_ids(a.maya) == sorted(m.user_id for m in (a.maya, a.alice, a.mani, a.bob))
    assert scope_user_ids(a.maya, a.mani) == sorted([a.mani.user_id, a.bob.user_id])
    assert scope_user_ids(a.olga, a.mark) == sorted([a.mark.user_id, a.carl.user_id])
    # A team outside the viewer's subtree, or another organisation's person: nobody.
    assert scope_user_ids(a.maya, a.mark) == []
    assert scope_user_ids(a.olga, globex.maya) == []
    assert scope_user_ids(a.alice) == [a.alice.user_id]


# The roll-ups count unique leads per day in the organisation's zone: calls 100 to 60 minutes
# old fall on two days when the test runs between 00:00 and 01:40 IST (3 unique leads, not 2).
@clocks("sunday", "23:55")
def test_summary_counts_statuses_talk_leads_and_the_wait_to_call_back(frozen_at, acme):
    lead = make_lead(acme, owner=acme.alice)
    make_lead(acme, phones=("98765 11111",), owner=acme.alice)
    phone = phone_of(acme.alice)
    send(
        phone,
        [
            call(1, type="missed", duration_s=0, minutes_ago=100),
            call(2, type="outgoing", duration_s=0, minutes_ago=90),
            call(3, type="outgoing", duration_s=95, minutes_ago=80),  # returns the miss: 20 min
            call(4, type="outgoing", duration_s=5, minutes_ago=70, number="+919876511111"),
            call(5, type="incoming", duration_s=40, minutes_ago=60, number="+919812345678"),
        ],
    )
    # The same batch again (a phone that did not hear the answer) changes nothing.
    send(phone, [call(3, type="outgoing", duration_s=95, minutes_ago=80)])
    s = selectors.summary(acme.org, two_days(acme.org), None)
    assert s["calls"] == 5
    assert (s["missed"], s["not_connected"], s["connected"], s["answered"]) == (1, 1, 2, 1)
    assert (s["calls_in"], s["calls_out"]) == (2, 3)
    assert s["talked"] == 3 and s["connected_rate"] == pytest.approx(3 / 5)
    assert s["talk_seconds"] == 95 + 5 + 40 and s["short_calls"] == 1
    assert s["unique_leads"] == 2
    assert (s["missed_returned"], s["missed_not_returned"]) == (1, 0)
    assert s["median_seconds_to_return"] == 20 * 60
    first = dt.datetime.fromisoformat(call(1, minutes_ago=100)["started_at"])
    assert s["first_call_at"] == first and s["last_call_at"] == first + dt.timedelta(minutes=40)
    assert lead.calls.count() == 3
    # Nobody else's figures, and nothing for a range without calls.
    assert selectors.summary(acme.org, two_days(acme.org), [acme.bob.user_id])["calls"] == 0
    empty = selectors.summary(acme.org, Range(dt.date(2020, 1, 1), dt.date(2020, 1, 2)), None)
    assert empty["calls"] == 0 and empty["connected_rate"] is None
    assert empty["median_seconds_to_return"] is None and empty["first_call_at"] is None


def test_the_median_wait_merges_people_and_an_open_call_back_is_still_waiting(acme):
    make_lead(acme, owner=acme.alice)
    make_lead(acme, phones=("98765 22222",), owner=acme.bob)
    make_lead(acme, phones=("98765 33333",), owner=acme.bob)
    alice, bob = phone_of(acme.alice), phone_of(acme.bob)
    send(alice, [call(1, type="missed", duration_s=0, minutes_ago=100), call(2, minutes_ago=90)])  # 10 min
    send(
        bob,
        [
            call(1, type="missed", duration_s=0, minutes_ago=100, number="+919876522222"),
            call(2, minutes_ago=70, number="+919876522222"),  # 30 min
            call(3, type="rejected", duration_s=0, minutes_ago=50, number="+919876533333"),
        ],
    )
    s = selectors.summary(acme.org, two_days(acme.org), None)
    assert (s["missed_returned"], s["missed_not_returned"]) == (2, 1)
    assert s["median_seconds_to_return"] == 20 * 60  # the middle of 10 and 30 minutes
    team = selectors.summary(acme.org, two_days(acme.org), scope_user_ids(acme.maya, acme.mani))
    assert team["median_seconds_to_return"] == 30 * 60 and team["missed_not_returned"] == 1


@clocks()
def test_by_hour_and_daily_put_calls_in_the_organisations_hours_and_dates(frozen_at, acme):
    phone = phone_of(acme.alice)
    send(phone, [call(1, minutes_ago=30), call(2, minutes_ago=31, duration_s=0)])
    rng = two_days(acme.org)
    hours = selectors.by_hour(acme.org, rng, None)
    assert [h["hour"] for h in hours] == list(range(24))
    local = dt.datetime.fromisoformat(call(1, minutes_ago=30)["started_at"])
    busy = [h for h in hours if h["calls"]]
    assert sum(h["calls"] for h in busy) == 2 and local.hour in {h["hour"] for h in busy}
    assert sum(h["connected"] for h in hours) == 1 and sum(h["not_connected"] for h in hours) == 1
    days = selectors.daily(acme.org, rng, None)
    assert [d["date"] for d in days] == [rng.start, rng.end]
    by_date = {d["date"]: d for d in days}
    assert by_date[local.date()]["calls"] >= 1 and sum(d["calls"] for d in days) == 2
    assert sum(d["talked"] for d in days) == 1


@clocks()
def test_shift_time_counts_once_the_shift_is_closed(frozen_at, acme):
    now = timezone.now().replace(microsecond=0)
    attendance.punch_in(acme.alice, actor=Actor.system(), at=now - dt.timedelta(hours=2))
    rng = Range(selectors.today_in(acme.org) - dt.timedelta(days=1), selectors.today_in(acme.org))
    assert selectors.summary(acme.org, rng, None)["shift_seconds"] == 0
    attendance.punch_out(acme.alice, actor=Actor.system(), at=now - dt.timedelta(minutes=30))
    assert selectors.summary(acme.org, rng, None)["shift_seconds"] == 90 * 60
    rows = selectors.per_agent(acme.org, rng, None)
    assert [(r["user_id"], r["shift_seconds"], r["calls"]) for r in rows] == [(acme.alice.user_id, 5400, 0)]


def _calls(n, *, start=0, number=None, duration_s=60, minutes_ago=300):
    rows = []
    for i in range(n):
        extra = {"number": number} if number else {"number": f"+91981234{5000 + start + i}"}
        rows.append(call(start + i, duration_s=duration_s, minutes_ago=minutes_ago - i, **extra))
    return rows


def test_leaderboard_flags_short_calls_repeat_dials_and_many_calls_with_little_talk(acme):
    alice, bob, carl, maya = (phone_of(m) for m in (acme.alice, acme.bob, acme.carl, acme.maya))
    send(alice, _calls(20, duration_s=120))
    send(maya, _calls(20, duration_s=90))
    # Bob: 25 calls of 4 s, and the same number dialled 9 times.
    send(bob, _calls(25, duration_s=4) + _calls(9, start=100, number="+919800000001", duration_s=0))
    # Carl: more than twice the median calls, 10 s of talk each.
    send(carl, _calls(70, duration_s=10, minutes_ago=400))
    rows = selectors.per_agent(acme.org, two_days(acme.org), None)
    by_user = {r["user_id"]: r for r in rows}
    assert by_user[acme.alice.user_id]["flags"] == [] and by_user[acme.maya.user_id]["flags"] == []
    assert by_user[acme.bob.user_id]["flags"] == ["short_calls", "repeat_dials"]
    assert by_user[acme.bob.user_id]["max_same_number"] == 9
    assert by_user[acme.bob.user_id]["short_calls"] == 25
    assert by_user[acme.carl.user_id]["flags"] == ["low_talk"]
    assert by_user[acme.carl.user_id]["name"] == "Carl Acme"
    # Most conversations first, then most talk.
    assert [r["user_id"] for r in rows] == [m.user_id for m in (acme.carl, acme.bob, acme.alice, acme.maya)]
    assert selectors.team_median(rows, "calls") == 27
    # Two people are no group to compare with: the talk flag needs three.
    two = selectors.per_agent(acme.org, two_days(acme.org), [acme.alice.user_id, acme.carl.user_id])
    assert all("low_talk" not in r["flags"] for r in two)


def test_funnel_and_conversion_by_source(acme):
    org = acme.org
    won = LeadStatus.objects.get(organisation=org, kind=StatusKind.WON)
    fair = LeadSource.objects.create(organisation=org, name="Trade fair")
    make_lead(acme, phone="98111 00001", owner=acme.alice, source=fair, status=won)
    make_lead(acme, phone="98111 00002", owner=acme.alice, source=fair)
    make_lead(acme, phone="98111 00003", owner=acme.bob)
    make_lead(acme, phone="98111 00004", owner=acme.carl, status=won)
    funnel = selectors.funnel(org, None)
    statuses = list(LeadStatus.objects.filter(organisation=org, is_active=True))
    assert [f["status_id"] for f in funnel] == [s.pk for s in statuses]
    counts = {f["name"]: f["leads"] for f in funnel}
    assert counts["Won"] == 2 and sum(counts.values()) == 4
    assert sum(f["leads"] for f in selectors.funnel(org, [acme.alice.user_id])) == 2
    conv = selectors.conversion_by_source(org, two_days(org), None)
    assert [(c["name"], c["leads"], c["won"]) for c in conv] == [("No source", 2, 1), ("Trade fair", 2, 1)]
    assert conv[0]["rate"] == 0.5
    team = selectors.conversion_by_source(org, two_days(org), scope_user_ids(acme.olga, acme.mark))
    assert [(c["name"], c["leads"], c["won"]) for c in team] == [("No source", 1, 1)]
