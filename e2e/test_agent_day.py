"""The agent's day on a 360-pixel phone: the shift timer runs, today's numbers sit beside the
team's median, the follow-up and the missed call are there, nothing scrolls sideways."""

from pathlib import Path

from playwright.sync_api import expect

from leadtracker.reports.tests.busy_day import busy_day

SHOTS = Path(__file__).resolve().parent.parent / "var" / "test-results" / "screenshots"


def test_agents_day_on_a_phone(phone, live_server, people, login):
    busy_day(people)
    login(phone, live_server.url, "carl@acme.test")  # agents land on their day
    expect(phone.locator("h1")).to_have_text("Hello, Carl")
    timer = phone.locator(".timer")
    first = timer.inner_text()
    phone.wait_for_function(
        "(first) => document.querySelector('.timer').textContent !== first", arg=first, timeout=30_000
    )
    assert timer.inner_text().count(":") == 2  # h:mm:ss, ticking
    expect(phone.locator("[data-number=calls] strong")).to_have_text("1")
    expect(phone.locator("#missed + ul")).to_contain_text("Uma Nair")
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    SHOTS.mkdir(parents=True, exist_ok=True)
    phone.screenshot(path=str(SHOTS / "agent-day-360.png"), full_page=True)

    phone.click("button:has-text('Punch out')")
    expect(phone.locator(".flash")).to_contain_text("Punched out")
    expect(phone.locator("h1")).to_have_text("Hello, Carl")
    expect(phone.locator("button:has-text('Punch in')")).to_be_visible()


def test_agents_day_on_a_desktop(page, live_server, people, login):
    busy_day(people)
    login(page, live_server.url, "alice@acme.test", home=False)
    page.goto(f"{live_server.url}/my-day/")
    expect(page.locator("#follow-ups + .list")).to_contain_text("Ravi Patel")
    expect(page.locator("[data-number=talk_seconds] strong")).to_have_text("7m")
    page.screenshot(path=str(SHOTS / "agent-day-1280.png"), full_page=True)
