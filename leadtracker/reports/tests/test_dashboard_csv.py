"""Every chart's figures download as CSV, with the dashboard's filters, safe to open in a
spreadsheet."""

import csv
import io

import pytest

from leadtracker.reports.tests.busy_day import busy_day
from leadtracker.testing import login_client


@pytest.fixture
def day(acme):
    return busy_day(acme)


def rows(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    text = response.content.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def test_each_chart_downloads_what_is_drawn(acme, day):
    client = login_client(acme.olga)
    page = client.get("/dashboard/?range=7d")
    for chart, table in page.context["charts"].items():
        response = client.get(f"/dashboard/data.csv?range=7d&chart={chart}")
        assert 'attachment; filename="' in response["Content-Disposition"]
        got = rows(response)
        assert got[0] == table["columns"]
        assert got[1:] == [[str(v) for v in row] for row in table["rows"]], chart
        assert f"/dashboard/data.csv?range=7d&amp;chart={chart}" in page.content.decode()


def test_agents_csv_follows_the_team(acme, day):
    client = login_client(acme.olga)
    everyone = rows(client.get("/dashboard/data.csv?range=7d&chart=agents"))
    team = rows(client.get(f"/dashboard/data.csv?range=7d&chart=agents&team={acme.mani.pk}"))
    assert {r[0] for r in everyone[1:]} == {"Alice Acme", "Bob Acme", "Carl Acme"}
    assert [r[0] for r in team[1:]] == ["Bob Acme"]
    hours = rows(client.get("/dashboard/data.csv?range=7d&chart=hours"))
    assert len(hours) == 25 and sum(int(c) for r in hours[1:] for c in r[1:]) == 6


def test_a_name_that_looks_like_a_formula_is_written_as_text(acme, day):
    from leadtracker.accounts.models import User

    User.objects.filter(pk=acme.carl.user_id).update(full_name='=HYPERLINK("http://evil.example","x")')
    got = rows(login_client(acme.olga).get("/dashboard/data.csv?range=7d&chart=agents"))
    names = [r[0] for r in got[1:]]
    assert '\'=HYPERLINK("http://evil.example","x")' in names


def test_bad_requests_name_the_field(acme):
    client = login_client(acme.olga)
    response = client.get("/dashboard/data.csv?chart=pie")
    assert response.status_code == 422 and response.content.decode().startswith("chart:")
    response = client.get("/dashboard/data.csv?chart=daily&range=custom&start=2026-01-05")
    assert response.status_code == 422 and response.content.decode() == "To: enter the last day of the range"
