"""The demo organisation looks alive on first run, whatever the day and the hour: its phones
synced two weeks of calls through the real sync path, and the dashboard shows them.

One test loads the demo once per clock (a load takes half a minute or more) and checks both
the calls (they were in calls/tests/test_demo_calls.py) and the dashboard."""

from django.db.models import Count

from leadtracker.accounts.demo import load_demo
from leadtracker.accounts.models import Membership
from leadtracker.attendance.models import Shift
from leadtracker.calls.models import Call, CallBack, Device
from leadtracker.testing import clocks, login_client


@clocks("sunday", "monday-00:05", "23:55")
def test_demo_is_alive(frozen_at, db):
    org, created = load_demo()
    assert created
    calls_look_like_a_working_fortnight(org)
    dashboard_is_alive(org)


def calls_look_like_a_working_fortnight(org):
    calls = Call.objects.filter(organisation=org)
    assert calls.count() > 1000
    statuses = dict(calls.values_list("status").annotate(n=Count("id")))
    assert statuses["connected"] > statuses["not_connected"] > statuses["missed"] > 0
    assert 0.5 < calls.filter(lead__isnull=False).count() / calls.count() < 0.9
    assert Device.objects.filter(organisation=org).count() == 6
    # Every call lies inside a shift of its person: the demo keeps the privacy rule too.
    shifts = {}
    for user_id, start, end in Shift.objects.filter(organisation=org).values_list(
        "user_id", "started_at", "ended_at"
    ):
        shifts.setdefault(user_id, []).append((start, end))
    for user_id, started in calls.values_list("user_id", "started_at"):
        assert any(s <= started and (e is None or started <= e) for s, e in shifts[user_id])
    returned = CallBack.objects.filter(organisation=org, closed_at__isnull=False)
    assert returned.count() > 20 and all(cb.seconds_to_return >= 0 for cb in returned)
    assert calls.filter(disposition__isnull=False).count() > 200


def dashboard_is_alive(org):
    owner = Membership.objects.get(organisation=org, role="owner")
    response = login_client(owner).get("/dashboard/?range=7d")
    summary = response.context["summary"]
    assert summary["calls"] > 200 and summary["talk_seconds"] > 3600
    assert summary["shift_seconds"] > 6 * 5 * 3600  # six agents and two managers, most days
    assert summary["missed_returned"] > 0 and summary["median_seconds_to_return"] is not None
    charts = response.context["charts"]
    assert all(charts[key]["rows"] for key in ("hours", "agents", "daily", "funnel", "sources"))
    assert sum(1 for row in charts["daily"]["rows"] if row[1]) >= 5
    flags = {a["name"]: a["flags"] for a in response.context["leaderboard"]}
    assert {"short_calls", "repeat_dials"} <= set(flags["Imran Khan"])
    assert response.context["live"]["devices"] == 6
    ravi = Membership.objects.get(organisation=org, user__email__startswith="ravi@")
    team = login_client(ravi).get("/dashboard/?range=7d").context["leaderboard"]
    assert {a["name"] for a in team} == {
        "Ravi Kumar",
        "Sunil Yadav",
        "Pooja Sharma",
        "Imran Khan",
    }  # his shifts too
