"""The menu on a 360-pixel phone and on a desktop. That every page fits a phone without
sideways scrolling (and passes the other gates) is e2e/test_gates.py's, for every page found from
the menu, as each role, at 360 and 1280 px."""

import re
from pathlib import Path

from playwright.sync_api import expect

SHOTS = Path(__file__).parent / "screenshots"


def test_phone_menu_opens_and_navigates(phone, live_server, people, login):
    login(phone, live_server.url, "olga@acme.test")
    nav_link = phone.locator("#more-menu a:has-text('Board')")
    expect(nav_link).to_be_hidden()  # folded away on a phone
    phone.click(".menu-button")
    expect(nav_link).to_be_visible()
    box = nav_link.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 360
    nav_link.click()
    expect(phone).to_have_url(f"{live_server.url}/leads/board/")
    # The main places are tabs at the bottom, always in view.
    phone.locator("#main-nav a:has-text('Team')").click()
    expect(phone.locator("h1")).to_have_text("Members")


def test_desktop_shows_navigation_inline(page, live_server, people, login):
    login(page, live_server.url, "olga@acme.test")
    expect(page.locator("#main-nav a:has-text('Team')")).to_be_visible()
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / "desktop_home.png"), full_page=True)


def test_phone_menu_reaches_log_out(phone, live_server, people, login):
    # An owner's menu is the longest; on a short phone its last item must still be reachable.
    phone.set_viewport_size({"width": 360, "height": 600})
    login(phone, live_server.url, "olga@acme.test")
    phone.click(".menu-button")
    log_out = phone.locator("nav button:has-text('Log out')")
    log_out.scroll_into_view_if_needed()
    box = log_out.bounding_box()
    assert box["y"] >= 0 and box["y"] + box["height"] <= 600, box
    log_out.click()
    expect(phone).to_have_url(re.compile(r"/login/"))
