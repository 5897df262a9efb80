"""Two-factor sign-in in a real browser: enrol on a phone-sized screen (the code is computed
from the key the page shows, as an authenticator app would), log out, log in with a code."""

import re
import time

from playwright.sync_api import expect

from leadtracker.accounts import mfa
from leadtracker.testing import PASSWORD


def fits(pg) -> bool:
    return pg.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_enrol_log_out_and_log_in_with_a_code(phone, live_server, people, login):
    login(phone, live_server.url, "olga@acme.test", home=False)
    phone.goto(f"{live_server.url}/profile/security/")
    phone.click("button:has-text('Set up two-factor sign-in')")
    secret = phone.locator("#mfa-secret").inner_text()
    expect(phone.locator(".qr svg")).to_be_visible()
    assert fits(phone)
    key = mfa.from_b32(secret)
    phone.fill("input[name=code]", mfa.totp(key, time.time()))
    phone.click("button:has-text('Turn on')")
    codes = phone.locator("#recovery-codes li")
    expect(codes).to_have_count(10)
    assert fits(phone)
    phone.click("text=Done")
    expect(phone.locator("main")).to_contain_text("10 unused recovery codes left")
    # The key is never shown again.
    assert secret not in phone.content()

    # Log out is behind ☰.
    phone.click("label.menu-button")
    phone.click("button:has-text('Log out')")
    expect(phone).to_have_url(re.compile(r"/login/$"))

    phone.fill("input[name=email]", "olga@acme.test")
    phone.fill("input[name=password]", PASSWORD)
    phone.click("button[type=submit]")
    expect(phone).to_have_url(re.compile(r"/login/code/$"))
    assert fits(phone)
    # Half signed in: any page sends the browser back to log in.
    phone.goto(f"{live_server.url}/members/")
    expect(phone).to_have_url(re.compile(r"/login/"))
    phone.goto(f"{live_server.url}/login/code/")
    # The next step's code: the one used to confirm may not be used again.
    phone.fill("input[name=code]", mfa.totp(key, time.time() + mfa.STEP_SECONDS))
    phone.click("button:has-text('Sign in')")
    expect(phone).not_to_have_url(re.compile(r"/login/"))
    phone.goto(f"{live_server.url}/members/")
    expect(phone.locator("h1")).to_have_text("Members")


def test_a_wrong_code_shows_a_message(page, live_server, people, login_by_form):
    from leadtracker.accounts.tests.mfa_helpers import enrol

    enrol(people.olga.user)
    login_by_form(page, live_server.url, "olga@acme.test")
    expect(page).to_have_url(re.compile(r"/login/code/$"))
    page.fill("input[name=code]", "12345")
    page.click("button:has-text('Sign in')")
    expect(page.locator(".errorlist")).to_contain_text("That code is not right")
