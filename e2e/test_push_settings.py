"""The profile page's "Notifications on this phone" section at 360 px: it renders, passes the
gates (e2e/gates.py), saves the kinds chosen, and its button says plainly that push cannot be
turned on when the browser reaches no push service (none is reachable from these machines)."""

import pytest
from playwright.sync_api import expect

from e2e.gates import Gate
from leadtracker.accounts.models import PushPreference, PushSubscription


@pytest.mark.slow(
    reason="a browser signs in, gates the profile page, saves the choices and tries to subscribe"
)
def test_the_push_section_passes_the_gates_and_says_why_push_is_unavailable(
    browser, live_server, people, login
):
    context = browser.new_context(
        viewport={"width": 360, "height": 800}, locale="en-IN", timezone_id="Asia/Kolkata"
    )
    try:
        context.grant_permissions(["notifications"], origin=live_server.url)
        gate = Gate(context, live_server.url)
        page = context.new_page()
        login(page, live_server.url, people.alice.user.email)

        problems = gate.check(page, "/profile/")
        section = page.locator("#push-settings")
        expect(section.get_by_role("heading", name="Notifications on this phone")).to_be_visible()
        expect(section.locator("#push-toggle")).to_have_text("Turn on in this browser")
        assert section.locator("input[name=kinds]").count() == 5  # the digest is a manager's
        assert not problems, "\n".join(problems)
        assert gate.check(page, None) == []  # the section loaded by htmx is in the check above too

        section.get_by_label("Missed call to return").uncheck()
        section.get_by_label("Also when I'm off shift").check()
        section.get_by_role("button", name="Save choices").click()
        expect(section.get_by_role("status").filter(has_text="Saved.")).to_be_visible()
        pref = PushPreference.objects.get(user=people.alice.user)
        assert "missed_call" in pref.kinds_off and pref.off_shift

        page.locator("#push-toggle").click()
        status = page.locator("#push-status")
        expect(status).to_contain_text("has no push service it can reach")
        expect(page.locator("#push-toggle")).to_be_enabled()
        assert not PushSubscription.objects.exists()
        # Chromium logs why itself (no Push API in a private, headless profile): the page adds none.
        assert [p for p in gate.problems if "Push API" not in p] == []
    finally:
        context.close()
