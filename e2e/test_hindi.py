"""The app in Hindi on a 360-pixel phone: an agent logs in (the browser speaks English), picks
हिन्दी in the profile, and the home page, the tab bar and the menu are in Hindi — still without
sideways scroll, and with no serious axe violation (the gates of e2e/gates.py)."""

from gates import Gate

from e2e.conftest import NO_WORKER
from leadtracker.accounts.models import User


def test_an_agent_switches_to_hindi_in_the_profile(browser, live_server, people, login):
    context = browser.new_context(
        service_workers=NO_WORKER,
        viewport={"width": 360, "height": 740},
        locale="en-IN",
        timezone_id="Asia/Kolkata",
    )
    try:
        gate = Gate(context, live_server.url)
        page = context.new_page()
        login(page, live_server.url, "alice@acme.test", home=False)
        page.goto(f"{live_server.url}/profile/")
        page.select_option("select[name=language]", "hi")
        page.get_by_role("button", name="Save", exact=True).click()
        page.get_by_role("status").filter(has_text="प्रोफ़ाइल सेव हो गई").wait_for()
        assert User.objects.get(email="alice@acme.test").language == "hi"

        assert gate.check(page, "/") == []
        assert page.locator("html").get_attribute("lang") == "hi"
        tabs = [t.strip() for t in page.locator("#main-nav a.tab").all_inner_texts()]
        assert "लीड" in tabs and "कॉल" in tabs and "मेरा दिन" in tabs, tabs
        page.click(".menu-button")
        menu = page.locator("#more-menu")
        for label in ("शिफ़्ट", "हाल की कॉल", "मिस्ड कॉल", "प्रोफ़ाइल", "मदद"):
            assert menu.get_by_role("link", name=label, exact=True).is_visible(), label
        assert menu.get_by_role("button", name="लॉग आउट (Alice)").is_visible()
        assert gate.check(page, None) == []  # the open menu too

        assert gate.check(page, "/profile/") == []
        assert page.get_by_role("heading", name="आपकी प्रोफ़ाइल").is_visible()
    finally:
        context.close()
