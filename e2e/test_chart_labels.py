"""The dashboard's charts label days and hours as every page writes them ("6 Dec", "2 pm"),
and a range without calls shows a sentence saying what to do, not bare axes."""

import re

from playwright.sync_api import expect

from leadtracker.reports.tests.busy_day import busy_day

DRAWN = """(keys) => window.Chart && keys.every((key) => {
  const chart = Chart.getChart(document.getElementById("chart-" + key));
  return chart && chart.data.labels.length > 0;
})"""


def labels(pg, key):
    return pg.evaluate(f'() => Chart.getChart(document.getElementById("chart-{key}")).data.labels')


def test_days_read_6_dec_and_hours_2_pm(page, live_server, people, login):
    busy_day(people)
    login(page, live_server.url, "olga@acme.test", home=False)
    page.goto(f"{live_server.url}/dashboard/?range=7d")
    page.wait_for_function(DRAWN, arg=["daily", "hours"])
    days = labels(page, "daily")
    assert len(days) == 7 and all(re.fullmatch(r"\d{1,2} [A-Z][a-z]{2,3}", d) for d in days), days
    hours = labels(page, "hours")
    assert hours and all(re.fullmatch(r"\d{1,2}\s(am|pm)", h) for h in hours), hours


def test_a_range_without_calls_says_so(page, live_server, people, login):
    busy_day(people)
    login(page, live_server.url, "olga@acme.test", home=False)
    page.goto(f"{live_server.url}/dashboard/?range=custom&start=2020-01-01&end=2020-01-07")
    expect(page.locator("[data-empty-chart=daily]")).to_contain_text("No calls synced in these 7 days")
    expect(page.locator("#chart-daily")).to_have_count(0)
