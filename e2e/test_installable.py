"""Chromium offers to install the web app: in an ordinary (not incognito) profile at 360 px,
signed in, the page is controlled by the service worker and Chromium's own installability
check finds nothing wrong; the manifest names the app, and its icons are PNGs of the sizes
it declares (lib/pwa.py, static/icons/)."""

import struct
import urllib.request

import pytest

from e2e.conftest import CHROMIUM, CHROMIUM_ARGS, DEADLINE_MS, SW_READY, log_in


def _png_size(url: str) -> tuple[int, int]:
    with urllib.request.urlopen(url, timeout=30) as answer:  # noqa: S310 — our live server
        head = answer.read(24)
    assert head[:8] == b"\x89PNG\r\n\x1a\n", url
    return struct.unpack(">II", head[16:24])


@pytest.mark.slow(reason="a second Chromium with its own profile signs in and waits for the worker")
def test_chromium_finds_the_app_installable(browser, live_server, people, tmp_path):
    context = browser.browser_type.launch_persistent_context(
        str(tmp_path / "profile"),
        executable_path=CHROMIUM,
        headless=True,
        args=CHROMIUM_ARGS,
        viewport={"width": 360, "height": 740},
        locale="en-IN",
        timezone_id="Asia/Kolkata",
    )
    try:
        context.set_default_timeout(DEADLINE_MS)
        phone = context.new_page()
        log_in(phone, live_server.url, "alice@acme.test")
        phone.evaluate(SW_READY + ".then(() => true)")
        if not phone.evaluate("navigator.serviceWorker.controller !== null"):
            phone.reload()
        assert phone.evaluate("navigator.serviceWorker.controller !== null")

        cdp = context.new_cdp_session(phone)
        shown = cdp.send("Page.getAppManifest")
        assert shown["errors"] == [] and shown["url"].endswith("/manifest.webmanifest")
        assert cdp.send("Page.getInstallabilityErrors")["installabilityErrors"] == []

        body = phone.evaluate("fetch('/manifest.webmanifest').then(r => r.json())")
        assert body["name"] == "LeadTracker" and 0 < len(body["short_name"]) <= 12
        assert body["theme_color"].startswith("#") and body["display"] == "standalone"
        for icon in body["icons"]:
            side = int(icon["sizes"].split("x")[0])
            assert _png_size(live_server.url + icon["src"]) == (side, side), icon
    finally:
        context.close()
