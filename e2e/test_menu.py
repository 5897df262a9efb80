"""The header on a 360-pixel phone and a desktop: the role's main places in a tab bar fixed at
the bottom of a phone (each at least 44 px high, the current one marked, never covering the
page), the rest behind ☰ (which stays on screen with a long organisation name); one header row
on a desktop; and the search box, as you type and without JavaScript."""

import re

import pytest
from playwright.sync_api import expect

from leadtracker.testing import make_lead

LONG_NAME = "Sri Venkateswara Constructions & Real Estate Developers Ltd."


def fits(pg):
    return pg.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def current(pg):
    """The visible label of the tab marked as the current page (each tab holds a short label for
    the phone and a longer one for the desktop; one of them is shown)."""
    return pg.locator("#main-nav a[aria-current=page]").inner_text().strip()


def tab_labels(pg):
    return [t.strip() for t in pg.locator("#main-nav a.tab").all_inner_texts()]


def test_an_agents_tab_bar_on_a_phone(phone, live_server, people, login):
    login(phone, live_server.url, "alice@acme.test", home=False)
    phone.goto(f"{live_server.url}/my-day/")
    labels = tab_labels(phone)
    assert labels[0] == "My day" and labels[-2:] == ["Leads", "Calls"] and len(labels) in (3, 4)
    bar = phone.locator("#main-nav").bounding_box()
    assert bar["y"] + bar["height"] == 740, bar  # fixed at the bottom of the screen
    for tab in phone.locator("#main-nav a.tab").all():
        box = tab.bounding_box()
        assert box["height"] >= 44 and box["width"] >= 44, box
    assert current(phone) == "My day"
    phone.locator("#main-nav a.tab", has_text="Leads").click()
    expect(phone).to_have_url(f"{live_server.url}/leads/")
    assert current(phone) == "Leads"
    # The page keeps room under its last line: scrolled to the end, nothing is under the bar.
    phone.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    last_bottom = phone.evaluate(
        "Math.max(...[...document.querySelectorAll('main.page > *')]"
        ".map(e => e.getBoundingClientRect().bottom))"
    )
    assert last_bottom <= phone.locator("#main-nav").bounding_box()["y"]
    assert fits(phone)


def test_an_owners_tab_bar_has_settings_and_the_rest_is_behind_the_menu(phone, live_server, people, login):
    login(phone, live_server.url, "olga@acme.test")
    assert tab_labels(phone) == ["Dashboard", "Leads", "Calls", "Team", "Settings"]
    more = phone.locator("#more-menu")
    expect(more).to_be_hidden()
    phone.click(".menu-button")
    for label in ("My day", "Shift", "Recent calls", "Missed calls", "Board", "Import", "Duplicates", "Help"):
        expect(more.locator("a", has_text=label).first).to_be_visible()
    expect(more.locator("button", has_text="Log out")).to_be_visible()
    phone.locator("#main-nav a.tab", has_text="Settings").click()
    expect(phone.locator("h1")).to_have_text("Settings")
    phone.click("main a:has-text('Organisation')")
    expect(phone.locator("h1")).to_have_text("Organisation settings")
    assert current(phone) == "Settings"
    assert fits(phone)


def test_the_menu_stays_on_screen_with_a_long_organisation_name(phone, live_server, people, login):
    people.org.name = LONG_NAME
    people.org.save(update_fields=["name"])
    login(phone, live_server.url, "alice@acme.test")
    button = phone.locator(".menu-button")
    expect(button).to_be_visible()
    box = button.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 360 and box["height"] >= 44, box
    assert button.get_attribute("title") == LONG_NAME
    assert fits(phone)
    button.click()
    # The whole name heads the menu, wrapped within the screen.
    name = phone.locator("#more-menu .more-org")
    expect(name).to_have_text(LONG_NAME)
    name_box = name.bounding_box()
    assert name_box["x"] >= 0 and name_box["x"] + name_box["width"] <= 360
    phone.locator("#more-menu a", has_text="Shift").click()
    expect(phone).to_have_url(f"{live_server.url}/attendance/")


def test_one_header_row_on_a_desktop(page, live_server, people, login):
    login(page, live_server.url, "olga@acme.test")
    header = page.locator("header.topbar").bounding_box()
    assert header["height"] < 70, header
    for selector in (".brand", "#main-nav", "#header-search", ".alerts", ".menu-button"):
        box = page.locator(selector).bounding_box()
        assert box["y"] >= header["y"] and box["y"] + box["height"] <= header["y"] + header["height"], (
            selector
        )
    expect(page.locator("#main-nav a.tab", has_text="Settings")).to_be_visible()
    assert page.evaluate("getComputedStyle(document.querySelector('#main-nav')).position") != "fixed"


@pytest.mark.parametrize("email, offered", [("alice@acme.test", False), ("maya@acme.test", True)])
def test_api_tokens_are_in_the_menu_of_managers_not_agents(phone, live_server, people, login, email, offered):
    login(phone, live_server.url, email)
    phone.click(".menu-button")
    expect(phone.locator("#more-menu a:has-text('Profile')")).to_be_visible()
    expect(phone.locator("#more-menu a:has-text('API tokens')")).to_have_count(1 if offered else 0)
    # Everyone reaches their own tokens from their profile.
    phone.locator("#more-menu a:has-text('Profile')").click()
    phone.click("main a:has-text('API tokens')")
    expect(phone.locator("h1")).to_contain_text("token")


def test_search_as_you_type_on_a_phone(phone, live_server, people, login):
    lead = make_lead(people, name="राजेश कुमार", phones=["98102 34567"], company="Shree Ganesh Builders")
    errors = []
    phone.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    login(phone, live_server.url, "olga@acme.test")
    for query in ("234567", "राजेश", "ganesh"):
        box = phone.locator("#header-search")
        box.fill("")
        box.press_sequentially(query, delay=30)
        result = phone.locator("#search-results a", has_text="राजेश कुमार")
        expect(result).to_be_visible()
        assert phone.locator("#search-results").bounding_box()["x"] >= 0
        assert fits(phone)
    result.click()
    expect(phone).to_have_url(f"{live_server.url}/leads/{lead.pk}/")
    assert not [e for e in errors if re.search("Content Security Policy|Refused", e)], errors


def test_search_without_javascript_opens_a_page_of_results(browser, live_server, people, login):
    lead = make_lead(people, name="Priya Sharma", phones=["+91 91234 56789"])
    context = browser.new_context(viewport={"width": 360, "height": 740}, java_script_enabled=False)
    pg = context.new_page()
    login(pg, live_server.url, "olga@acme.test")
    pg.fill("#header-search", "91234 56789")
    pg.press("#header-search", "Enter")
    expect(pg.locator("h1")).to_have_text("Search")
    pg.locator("main a", has_text="Priya Sharma").click()
    expect(pg).to_have_url(f"{live_server.url}/leads/{lead.pk}/")
    context.close()
