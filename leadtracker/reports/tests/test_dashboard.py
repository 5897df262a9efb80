"""The manager's dashboard: figures from the roll-ups, tiles that open their lists, the range
and team filter, and who may see what."""

import pytest

from leadtracker.reports.tests.busy_day import busy_day
from leadtracker.testing import clocks, login_client


@pytest.fixture
def day(acme):
    return busy_day(acme)


def figures(response):
    return response.context["summary"], response.context["live"]


@clocks("monday-00:05", "23:55", "31-december")
def test_whole_organisation_for_the_owner(frozen_at, acme, day):
    response = login_client(acme.olga).get("/dashboard/?range=7d")
    assert response.status_code == 200
    summary, live = figures(response)
    assert summary["calls"] == 6
    assert summary["talked"] == 4  # the 0 s dial and Carl's missed call are not conversations
    assert summary["short_calls"] == 1  # Bob's 5 s
    assert summary["talk_seconds"] == 180 + 240 + 5 + 95
    assert live["on_shift"] == 3
    assert live["missed_waiting"] == 1
    assert live["overdue_follow_ups"] == 1
    names = [a["name"] for a in response.context["leaderboard"]]
    assert set(names) == {"Alice Acme", "Bob Acme", "Carl Acme"}
    page = response.content.decode()
    assert 'id="dashboard-data"' in page and "chart-hours" in page
    # The day's calls are today's, even minutes after midnight; yesterday had none.
    assert figures(login_client(acme.olga).get("/dashboard/?range=today"))[0]["calls"] == 6
    assert figures(login_client(acme.olga).get("/dashboard/?range=yesterday"))[0]["calls"] == 0


def test_a_manager_sees_only_their_subtree(acme, day):
    response = login_client(acme.maya).get("/dashboard/?range=7d")
    summary, live = figures(response)
    assert {a["name"] for a in response.context["leaderboard"]} == {"Alice Acme", "Bob Acme"}
    assert summary["calls"] == 5
    assert live["missed_waiting"] == 0  # Carl's missed call is Mark's team's
    assert live["on_shift"] == 2


def test_a_team_narrows_the_figures(acme, day):
    response = login_client(acme.olga).get(f"/dashboard/?range=7d&team={acme.mani.pk}")
    summary, _live = figures(response)
    assert summary["calls"] == 2
    assert [a["name"] for a in response.context["leaderboard"]] == ["Bob Acme"]
    assert response.context["scope"].team == acme.mani


def test_a_team_outside_the_managers_subtree_is_404(acme, day):
    assert login_client(acme.maya).get(f"/dashboard/?team={acme.mark.pk}").status_code == 404
    assert login_client(acme.mani).get(f"/dashboard/?team={acme.maya.pk}").status_code == 404


def test_another_organisations_team_is_404(acme, globex, day):
    assert login_client(acme.olga).get(f"/dashboard/?team={globex.maya.pk}").status_code == 404
    assert (
        login_client(acme.olga).get(f"/dashboard/data.csv?chart=hours&team={globex.maya.pk}").status_code
        == 404
    )


def test_an_agent_is_sent_to_their_day(acme):
    response = login_client(acme.alice).get("/dashboard/")
    assert response.status_code == 302 and response["Location"] == "/my-day/"
    assert login_client(acme.alice).get("/dashboard/data.csv?chart=hours").status_code == 403


def test_the_calls_tile_opens_the_same_calls(acme, day):
    client = login_client(acme.olga)
    response = client.get(f"/dashboard/?range=7d&team={acme.maya.pk}")
    listed = client.get(response.context["links"]["calls"]).context["rows"]
    assert len(listed) == response.context["summary"]["calls"] == 5
    assert {c.user_id for c in listed} == {acme.alice.user_id, acme.bob.user_id}


def test_the_overdue_tile_opens_the_same_leads(acme, day):
    client = login_client(acme.olga)
    response = client.get(f"/dashboard/?team={acme.maya.pk}")
    listed = client.get(response.context["links"]["overdue"]).context["leads"]
    assert [lead.name for lead in listed] == ["Ravi Patel"] and response.context["live"][
        "overdue_follow_ups"
    ] == 1


def test_htmx_gets_only_the_figures(acme, day):
    response = login_client(acme.olga).get(
        f"/dashboard/?range=today&team={acme.mani.pk}", HTTP_HX_REQUEST="true"
    )
    page = response.content.decode()
    assert page.startswith('<div id="dash">') and "<html" not in page
    assert response.context["summary"]["calls"] == 2
