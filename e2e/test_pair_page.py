"""The pairing page a phone opens (/p/ABCD-EFGH), in Chromium at 360 and 1280 px: it passes the
gates (no sideways scroll, tap targets, axe, no CSP violation), and Copy the line puts the one
line to paste into Termux on the clipboard and says so. A used link says to make a new one."""

from gates import Gate

from e2e.conftest import NO_WORKER
from leadtracker.accounts.audit import Actor
from leadtracker.calls import actions


def test_the_pairing_page_passes_the_gates_and_copies_the_line(browser, live_server, people, settings):
    settings.SITE_URL = live_server.url
    _code, raw = actions.create_pairing_code(people.alice, actor=Actor.system(), by=None)
    context = browser.new_context(
        service_workers=NO_WORKER,
        viewport={"width": 360, "height": 740},
        locale="en-IN",
        timezone_id="Asia/Kolkata",
    )
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    try:
        gate = Gate(context, live_server.url)
        page = context.new_page()
        assert gate.check(page, f"/p/{raw}") == []
        page.get_by_role("button", name="Copy the line").click()
        page.get_by_role("status").filter(has_text="Copied").wait_for()
        copied = page.evaluate("navigator.clipboard.readText()")
        assert copied == (
            f"pkg install -y curl && curl -fsSL {live_server.url}/agent/install.sh "
            f"| sh -s -- {live_server.url}/p/{raw}"
        )
        page.set_viewport_size({"width": 1280, "height": 800})
        assert gate.check(page, None) == []

        actions.pair_device(raw, name="First phone", actor=Actor.system())
        page.set_viewport_size({"width": 360, "height": 740})
        problems = gate.check(page, f"/p/{raw}")
        # The page answers 404 on purpose (nothing to pair with); nothing else may be wrong.
        assert [p for p in problems if not p.startswith("http: 404")] == []
        assert page.get_by_text("It was used already").is_visible()
    finally:
        context.close()
