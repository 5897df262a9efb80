"""Help, the members list, phone notifications and the audit log in Hindi on a 360 px phone (issue
20 §3): Devanagari runs longer than English, and still nothing scrolls sideways and no button is
cut off."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

SHOTS = Path(__file__).resolve().parent.parent / "var" / "test-results" / "screenshots"
PAGES = [
    ("alice@acme.test", "/help/", "मदद", "help"),
    ("olga@acme.test", "/members/", "सदस्य", "members"),
    ("alice@acme.test", "/profile/push/", "सूचनाएँ", "push"),
    ("olga@acme.test", "/audit/", "ऑडिट लॉग", "audit"),
]
# What sticks out past the screen's right edge, outside a region meant to scroll (a table's).
STICKING_OUT = """[...document.querySelectorAll('body *')]
  .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1 && !e.closest('.table-wrap'))
  .map(e => e.tagName + '.' + e.className + ':' + e.textContent.trim().slice(0, 30)).slice(0, 5)"""
CUT_BUTTONS = """[...document.querySelectorAll('button, .button')]
  .filter(e => e.offsetParent !== null && e.scrollWidth > e.clientWidth + 1)
  .map(e => e.textContent.trim().slice(0, 30))"""


@pytest.mark.slow(reason="four pages in Chromium, each after its own login")
def test_accounts_pages_in_hindi_fit_a_phone(live_server, people, login, phone):
    for member in (people.alice, people.olga):
        member.user.language = "hi"
        member.user.save(update_fields=["language"])
    SHOTS.mkdir(parents=True, exist_ok=True)
    for email, path, heading, name in PAGES:
        phone.context.clear_cookies()
        login(phone, live_server.url, email, home=False)
        phone.goto(f"{live_server.url}{path}")
        expect(phone.locator("h1, h2").first).to_contain_text(heading)
        phone.screenshot(path=str(SHOTS / f"hindi-{name}-360.png"), full_page=True)
        assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), name
        assert phone.evaluate(STICKING_OUT) == [], name
        assert phone.evaluate(CUT_BUTTONS) == [], name
