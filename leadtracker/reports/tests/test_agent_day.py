"""The agent's day: the punch button with its timer, today's numbers beside the team's
median, next follow-ups and missed calls to return — and "/" by role."""

import pytest

from leadtracker.accounts.models import Membership, Role, User
from leadtracker.reports.tests.busy_day import busy_day, calls_for, minutes_into_today
from leadtracker.testing import clocks, login_client, open_shift, paired_client, send


@pytest.fixture
def day(acme):
    return busy_day(acme)


def numbers(response):
    return {n["key"]: (n["mine"], n["median"]) for n in response.context["numbers"]}


@clocks("monday-00:05", "23:55", "month-end")
def test_today_beside_the_team_median(frozen_at, acme, day):
    # Two colleagues with Alice's manager: one busier, one who has not called yet.
    room = max(1, min(20, minutes_into_today(acme.org) // 4))
    for key in ("dev", "eva"):
        user = User.objects.create(email=f"{key}@acme.test", full_name=key.title())
        member = Membership.objects.create(
            organisation=acme.org, user=user, role=Role.AGENT, reports_to=acme.maya
        )
        if key == "dev":
            open_shift(member, hours_ago=9)
            specs = [("+919876520001", "outgoing", 300)] * 1 + [("+919876520002", "outgoing", 60)] * 4
            assert (
                send(paired_client(member), calls_for(700, specs, latest_minutes_ago=room)).status_code == 200
            )
    response = login_client(acme.alice).get("/my-day/")
    assert response.status_code == 200
    got = numbers(response)
    # Alice 3 calls, Dev 5, Eva 0 → median 3; conversations 2 / 5 / 0 → 2; talk 420 / 540 / 0 → 420.
    assert got["calls"] == (3, 3)
    assert got["talked"] == (2, 2)
    assert got["talk_seconds"] == (420, 420)
    assert got["unique_leads"][0] == 2
    page = response.content.decode()
    assert "team median" in page and "Dev" not in page  # colleagues only as a median


def test_punch_button_with_the_shift_timer(acme, day):
    page = login_client(acme.alice).get("/my-day/").content.decode()
    assert "Punch out" in page and 'class="timer" data-since="' in page
    assert "js/my_day.js" in page
    from leadtracker.attendance.models import Shift

    Shift.objects.filter(user=acme.alice.user).delete()
    page = login_client(acme.alice).get("/my-day/").content.decode()
    assert "Punch in" in page and "data-since" not in page


@clocks("monday-00:05", "23:55")
def test_follow_ups_and_missed_calls(frozen_at, acme, day):
    response = login_client(acme.carl).get("/my-day/")
    assert [cb.lead.name for cb in response.context["missed"]] == ["Uma Nair"]
    assert "Call back" in response.content.decode()
    alice = login_client(acme.alice).get("/my-day/")
    assert [fu.lead.name for fu in alice.context["follow_ups"]] == ["Ravi Patel"]
    assert alice.context["overdue_count"] == 1 and alice.context["missed"] == []
    assert "1 overdue" in alice.content.decode()


def test_do_not_call_is_flagged_and_not_dialled(acme, day):
    from leadtracker.leads.models import Lead

    Lead.objects.filter(pk__in=[day["uma"].pk, day["ravi"].pk]).update(do_not_call=True)
    for member in (acme.carl, acme.alice):
        page = login_client(member).get("/my-day/").content.decode()
        assert "do not call" in page
        assert 'href="tel:' not in page


def test_landing_page_by_role(acme, day):
    assert login_client(acme.alice).get("/").templates[0].name == "reports/my_day.html"
    for manager in (acme.maya, acme.adam, acme.olga):
        response = login_client(manager).get("/")
        assert response.status_code == 200 and response.templates[0].name == "reports/dashboard.html"
    nav = login_client(acme.alice).get("/").content.decode()
    assert 'href="/my-day/"' in nav and 'href="/dashboard/"' not in nav
    assert 'href="/dashboard/"' in login_client(acme.maya).get("/").content.decode()
