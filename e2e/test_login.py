import re

from playwright.sync_api import expect


def test_log_in_and_out(page, live_server, people, login_by_form):
    login_by_form(page, live_server.url, "alice@acme.test")
    expect(page.locator("h1")).to_have_text("Hello, Alice")
    expect(page.locator(".org-name")).to_have_text("Acme")
    page.click("label.menu-button")  # log out is behind ☰, on a desktop too
    page.click("button:has-text('Log out')")
    expect(page).to_have_url(re.compile(r"/login/$"))


def test_wrong_password_shows_a_message(page, live_server, people, login_by_form):
    login_by_form(page, live_server.url, "alice@acme.test", "not-the-password")
    expect(page.locator(".errorlist")).to_contain_text("do not match")
