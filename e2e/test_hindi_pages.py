"""My day, the calling queue and the dashboard in Hindi at 360 and 1280 pixels (issue 20 §3):
Devanagari runs longer than English, and still nothing scrolls sideways."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from leadtracker.reports.tests.busy_day import busy_day
from leadtracker.testing import make_lead

SHOTS = Path(__file__).resolve().parent.parent / "var" / "test-results" / "screenshots"
PAGES = [
    ("carl@acme.test", "/my-day/", "नमस्ते, Carl", "my-day"),
    ("alice@acme.test", "/queue/", "कॉलिंग लिस्ट", "queue"),
    ("olga@acme.test", "/dashboard/?range=7d", "डैशबोर्ड", "dashboard"),
]


def speak_hindi(people) -> None:
    for member in (people.carl, people.alice, people.olga):
        member.user.language = "hi"
        member.user.save(update_fields=["language"])


def look(pg, live_server, login, email, path, heading, width, name):
    login(pg, live_server.url, email, home=False)
    pg.goto(f"{live_server.url}{path}")
    expect(pg.locator("h1")).to_contain_text(heading)
    SHOTS.mkdir(parents=True, exist_ok=True)
    pg.screenshot(path=str(SHOTS / f"hindi-{name}-{width}.png"), full_page=True)
    wide = pg.evaluate(
        "[...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > "
        "window.innerWidth + 1).map(e => e.tagName + '.' + e.className).slice(0, 5)"
    )
    assert pg.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), wide


@pytest.mark.slow(reason="three pages in Chromium at two widths, on a server with a busy day")
def test_hindi_pages_fit_a_phone_and_a_desktop(browser, live_server, people, login, phone, page):
    busy_day(people)
    make_lead(people, owner=people.alice, name="सुनीता राव", phone="98450 12345")
    speak_hindi(people)
    for email, path, heading, name in PAGES:
        for pg, width in ((phone, 360), (page, 1280)):
            pg.context.clear_cookies()
            look(pg, live_server, login, email, path, heading, width, name)
