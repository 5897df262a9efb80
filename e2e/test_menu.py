"""The ☰ menu on a 360-pixel phone: it stays on screen with a long organisation name (the name
is cut short, never the ☰), and an agent's menu offers no API tokens."""

import pytest
from playwright.sync_api import expect

LONG_NAME = "Sri Venkateswara Constructions & Real Estate Developers Ltd."


def menu_icon_is_shown(pg):
    """Whether the ☰ character is drawn inside the menu button and on screen: measured on the
    text itself, so a button that clips its own text cannot pass."""
    return pg.evaluate(
        """() => {
        const button = document.querySelector('.menu-button');
        const walker = document.createTreeWalker(button, NodeFilter.SHOW_TEXT);
        let node;
        while ((node = walker.nextNode())) {
            const at = node.data.indexOf('☰');
            if (at < 0) continue;
            const range = document.createRange();
            range.setStart(node, at);
            range.setEnd(node, at + 1);
            const glyph = range.getBoundingClientRect();
            const box = button.getBoundingClientRect();
            const style = getComputedStyle(button);
            const inner = box.right - parseFloat(style.paddingRight) - parseFloat(style.borderRightWidth);
            return glyph.width > 0 && glyph.left >= box.left && glyph.right <= inner + 0.5
                && glyph.right <= window.innerWidth;
        }
        return false;
    }"""
    )


def test_the_menu_stays_on_screen_with_a_long_organisation_name(phone, live_server, people, login):
    assert len(LONG_NAME) == 60
    people.org.name = LONG_NAME
    people.org.save(update_fields=["name"])
    login(phone, live_server.url, "alice@acme.test")
    button = phone.locator(".menu-button")
    expect(button).to_be_visible()
    box = button.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 360, box
    assert menu_icon_is_shown(phone), "the ☰ is cut off"
    # The name is shortened with an ellipsis, and the whole name is still there to read.
    name = phone.locator(".menu-button .org-name")
    assert name.evaluate("el => el.scrollWidth > el.clientWidth")
    assert name.evaluate("el => getComputedStyle(el).textOverflow") == "ellipsis"
    assert button.get_attribute("title") == LONG_NAME
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    button.click()
    my_day = phone.locator("nav a:has-text('My day')")
    expect(my_day).to_be_visible()
    my_day.click()
    expect(phone).to_have_url(f"{live_server.url}/my-day/")


@pytest.mark.parametrize("email, offered", [("alice@acme.test", False), ("maya@acme.test", True)])
def test_api_tokens_are_in_the_menu_of_managers_not_agents(phone, live_server, people, login, email, offered):
    login(phone, live_server.url, email)
    phone.click(".menu-button")
    expect(phone.locator("nav a:has-text('Profile')")).to_be_visible()
    expect(phone.locator("nav a:has-text('API tokens')")).to_have_count(1 if offered else 0)
    # Everyone reaches their own tokens from their profile.
    phone.locator("nav a:has-text('Profile')").click()
    phone.click("main a:has-text('API tokens')")
    expect(phone.locator("h1")).to_contain_text("token")
