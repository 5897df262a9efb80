"""The manager's dashboard in a real browser: the charts are drawn with data, a team filter
changes them, a tile opens its list; on a desktop and on a 360-pixel phone."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from leadtracker.reports.tests.busy_day import busy_day

SHOTS = Path(__file__).resolve().parent.parent / "var" / "test-results" / "screenshots"
CHARTS = ["hours", "agents", "daily", "funnel", "sources"]

ALL_DRAWN = """(keys) => window.Chart && keys.every((key) => {
  const chart = Chart.getChart(document.getElementById("chart-" + key));
  return chart && chart.data.labels.length > 0
    && chart.data.datasets.some((ds) => ds.data.some((v) => v > 0));
})"""


def agents_in_chart(pg):
    return pg.evaluate('() => Chart.getChart(document.getElementById("chart-agents")).data.labels')


def shoot(pg, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    pg.screenshot(path=str(SHOTS / name), full_page=True)


@pytest.fixture
def day(people):
    return busy_day(people)


def test_charts_team_filter_and_tiles_on_a_desktop(page, live_server, people, day, login):
    login(page, live_server.url, "olga@acme.test", home=False)
    page.goto(f"{live_server.url}/dashboard/?range=7d")
    page.wait_for_function(ALL_DRAWN, arg=CHARTS)
    assert sorted(agents_in_chart(page)) == ["Alice Acme", "Bob Acme", "Carl Acme"]
    expect(page.locator("[data-tile=calls] strong")).to_have_text("6")
    shoot(page, "dashboard-1280.png")

    page.select_option("#id_team", label="Mani Acme's team")  # htmx swaps the figures in
    expect(page.locator("[data-tile=calls] strong")).to_have_text("2")
    page.wait_for_function(ALL_DRAWN, arg=["hours", "agents", "daily"])
    assert agents_in_chart(page) == ["Bob Acme"]
    assert f"team={people.mani.pk}" in page.url  # the filtered view can be bookmarked
    shoot(page, "dashboard-team-1280.png")

    page.click("[data-tile=calls]")
    expect(page.locator("h1")).to_have_text("Calls")
    assert "/calls/?" in page.url and f"team={people.mani.pk}" in page.url
    expect(page.locator("tbody tr")).to_have_count(2)
    expect(page.locator("tbody")).to_contain_text("Bob Acme")


def test_custom_dates_and_csv_on_a_phone(phone, live_server, people, day, login):
    login(phone, live_server.url, "maya@acme.test")  # managers land on their dashboard
    expect(phone.locator("h1")).to_have_text("Dashboard")
    phone.wait_for_function(ALL_DRAWN, arg=CHARTS)
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert sorted(agents_in_chart(phone)) == ["Alice Acme", "Bob Acme"]
    shoot(phone, "dashboard-360.png")

    expect(phone.locator("#id_start")).to_be_hidden()
    phone.select_option("#id_range", "custom")
    expect(phone.locator("#id_start")).to_be_visible()
    phone.fill("#id_start", "2020-01-01")
    phone.fill("#id_end", "2020-01-31")
    phone.locator("#id_end").dispatch_event("change")
    expect(phone.locator("[data-tile=calls] strong")).to_have_text("0")
    assert "range=custom" in phone.url
    with phone.expect_download() as download:
        phone.click("a[href*='chart=daily']")
    assert download.value.suggested_filename == "daily-2020-01-01-2020-01-31.csv"
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.fixture
def no_worker_page(browser):
    """A desktop page whose requests all reach page.route: a service worker (offline.js
    registers one) would answer htmx.min.js from its cache and the page would have htmx after all."""
    context = browser.new_context(
        viewport={"width": 1280, "height": 800},
        locale="en-IN",
        timezone_id="Asia/Kolkata",
        service_workers="block",
    )
    yield context.new_page()
    context.close()


def test_the_dashboard_works_without_htmx(no_worker_page, live_server, people, day, login):
    """A plain GET form: the Show button reloads the page with the filter in the address."""
    page = no_worker_page
    login(page, live_server.url, "olga@acme.test", home=False)
    page.route("**/htmx.min.js", lambda route: route.abort())
    page.goto(f"{live_server.url}/dashboard/")
    assert page.evaluate("typeof window.htmx") == "undefined"
    page.select_option("#id_range", "today")
    page.select_option("#id_team", label="Mark Acme's team")
    page.click("button:has-text('Show')")
    expect(page.locator("[data-tile=calls] strong")).to_have_text("1")
    assert f"team={people.mark.pk}" in page.url and "range=today" in page.url
