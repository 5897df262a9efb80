"""The demo organisation, as `leadtracker demo` makes it: two teams with working logins, a
published privacy notice everyone accepted, two weeks of calls synced through the real sync path,
and a dashboard that looks alive on first run, whatever the day and the hour.

A load costs 4-5 s on SQLite and 10 s or more on PostgreSQL (a thousand leads and outcomes, each
through its action), so every check of what a fresh demo holds shares one load per clock (they
were four tests in four modules, eight loads a pass), and the command's second run and its reset
follow one of those loads; the reset is itself the load of another clock (three loads a pass)."""

import datetime as dt

import pytest
import time_machine
from django.core.management import call_command
from django.db.models import Count
from django.test import Client

from leadtracker.accounts.demo import DEMO_PASSWORD, PEOPLE, email_of
from leadtracker.accounts.models import Membership, Organisation
from leadtracker.attendance.models import Shift
from leadtracker.calls.models import Call, CallBack, Device
from leadtracker.privacy import selectors as privacy_selectors
from leadtracker.privacy.models import NoticeAcceptance
from leadtracker.testing import CLOCKS, clocks, login_client

pytestmark = pytest.mark.slow(reason="each test loads the whole demo organisation (4-5 s on SQLite)")


# What moves with the clock (the fortnight laid out back from now, the days of the dashboard)
# is worked out in Python, in the organisation's zone: the PostgreSQL pass loads the demo at the
# other two clocks only (a load is 10 s there).
@pytest.mark.same_on_every_database(reason="the demo's days are worked out in Python, not in SQL")
@clocks("monday-00:05")
def test_demo_is_alive(frozen_at, db, capsys):
    call_command("demo")
    a_fresh_demo_is_alive(capsys.readouterr().out)


# The Sunday load is also run again and reset, and the reset, a whole load of its own, is made
# five minutes before another day ends and checked as a fresh demo: the second run and the reset
# ride on loads the clocks need anyway (a load is 4-5 s on SQLite, 10 s on PostgreSQL).
@clocks("sunday")
def test_demo_is_alive_idempotent_and_resettable(frozen_at, db, capsys):
    call_command("demo")
    a_fresh_demo_is_alive(capsys.readouterr().out)
    call_command("demo")
    assert "already there" in capsys.readouterr().out
    assert Organisation.objects.filter(slug="demo").count() == 1
    first = Organisation.objects.get(slug="demo")
    assert privacy_selectors.effective_notice(first.pk).version == 1  # still one version
    with time_machine.travel(dt.datetime.fromisoformat(CLOCKS["23:55"]), tick=True):
        call_command("demo", reset=True)
        org = Organisation.objects.get(slug="demo")
        assert org.pk != first.pk
        assert Membership.objects.filter(organisation=org).count() == len(PEOPLE)
        # The reset deleted the published version with its organisation and published one anew,
        # and the rest of the demo as at that clock.
        a_fresh_demo_is_alive(capsys.readouterr().out)


def a_fresh_demo_is_alive(out):
    assert "created" in out and "already there" not in out
    org = Organisation.objects.get(slug="demo")
    two_teams_with_working_logins(org, out)
    a_notice_everyone_accepted(org)
    calls_look_like_a_working_fortnight(org)
    dashboard_is_alive(org)
    timelines_start_when_their_leads_were_made(org)


def timelines_start_when_their_leads_were_made(org):
    """A lead made 22 Oct had a timeline saying "Lead created · Today", its notes and status
    changes today too, under calls of 24 Nov: the demo back-dates its leads, and so their entries."""
    from django.db.models import F

    from leadtracker.leads.models import Activity

    activities = Activity.objects.filter(organisation=org).exclude(kind="call")
    assert activities.filter(kind="created").exclude(at=F("lead__created_at")).count() == 0
    assert activities.filter(at__lt=F("lead__created_at")).count() == 0
    assert (
        activities.exclude(kind="created")
        .filter(at__gt=F("lead__created_at") + dt.timedelta(hours=3))
        .count()
        == 0
    )


def two_teams_with_working_logins(org, out):
    members = Membership.objects.filter(organisation=org).select_related("reports_to")
    assert members.filter(role="owner").count() == 1
    assert members.filter(role="manager").count() == 2
    agents = members.filter(role="agent")
    assert agents.count() == 6
    assert {a.reports_to.user.email for a in agents} == {email_of("ravi"), email_of("meera")}
    for key, *_rest in PEOPLE:
        assert email_of(key) in out
    assert DEMO_PASSWORD in out
    client = Client()
    response = client.post("/login/", {"email": email_of("sunil"), "password": DEMO_PASSWORD})
    assert response.status_code == 302
    assert client.get("/").status_code == 200  # not sent to accept the notice first


def a_notice_everyone_accepted(org):
    notice = privacy_selectors.effective_notice(org.pk)
    assert notice is not None and notice.version == 1 and notice.items
    members = Membership.objects.filter(organisation=org)
    assert set(NoticeAcceptance.objects.filter(notice=notice).values_list("user_id", flat=True)) == set(
        members.values_list("user_id", flat=True)
    )
    public = Client().get("/privacy/demo/")
    assert public.status_code == 200 and notice.title in public.content.decode()


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
    assert calls.filter(outcome__isnull=False).count() > 200


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
