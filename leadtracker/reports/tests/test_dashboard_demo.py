"""The demo organisation's dashboard looks alive on first run."""

from leadtracker.accounts.demo import load_demo
from leadtracker.accounts.models import Membership
from leadtracker.testing import clocks, login_client


@clocks("sunday", "monday-00:05", "23:55")
def test_demo_dashboard_is_alive(frozen_at, db):
    org, created = load_demo()
    assert created
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
