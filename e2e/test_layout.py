"""Every page fits a 360-pixel phone without sideways scrolling, and works on a desktop."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

SHOTS = Path(__file__).parent / "screenshots"
PAGES = [
    "/devices/",
    "/attendance/",
    "/attendance/timesheets/",
    "/attendance/shifts/{shift}/",
    "/notifications/",
    "/leads/",
    "/leads/new/",
    "/leads/board/",
    "/leads/{lead}/",
    "/leads/{lead}/edit/",
    "/leads/import/",
    "/leads/duplicates/",
    "/leads/settings/",
    "/",
    "/members/",
    "/members/{alice}/",
    "/settings/",
    "/settings/organisation/",
    "/tokens/",
    "/audit/",
    "/profile/",
    "/profile/password/",
]


PUBLIC_PAGES = [
    "/devices/",
    "/notifications/",
    "/login/",
    "/signup/",
    "/password-reset/",
    "/password-reset/sent/",
    "/invite/{invite}/",
]


def no_sideways_scroll(pg):
    return pg.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.parametrize("path", PAGES)
def test_page_fits_a_phone(phone, live_server, people, login, path):
    login(phone, live_server.url, "olga@acme.test")
    from leadtracker.accounts.audit import Actor
    from leadtracker.leads.actions.leads import LeadData, create_lead

    lead, _ = create_lead(
        people.org,
        LeadData(
            name="Lakshmi Narayanan Venkataraman",
            company="Sri Venkateswara Constructions Private Limited",
            phones=["98765 43210"],
        ),
        actor=Actor.system(),
        by=people.olga,
    )
    from leadtracker.tests.tenancy import _shift

    path = path.format(alice=people.alice.pk, lead=lead.pk, shift=_shift(people))
    response = phone.goto(f"{live_server.url}{path}")
    assert response.status == 200
    assert no_sideways_scroll(phone), f"{path} scrolls sideways at 360 px"
    SHOTS.mkdir(exist_ok=True)
    name = path.strip("/").replace("/", "_") or "home"
    phone.screenshot(path=str(SHOTS / f"phone_{name}.png"), full_page=True)


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_public_page_fits_a_phone(phone, live_server, people, path):
    from leadtracker.accounts.actions import invite_member
    from leadtracker.accounts.audit import Actor

    _inv, raw = invite_member(people.org, email="guest@example.in", actor=Actor.system())
    response = phone.goto(f"{live_server.url}{path.format(invite=raw)}")
    assert response.status == 200
    assert no_sideways_scroll(phone), f"{path} scrolls sideways at 360 px"


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
