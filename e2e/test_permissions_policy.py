"""Chromium obeys the Permissions-Policy: with the location granted to the site, only the pages
with the punch button may read it; the camera and the microphone are off everywhere."""

from e2e.conftest import NO_WORKER

ASK_LOCATION = """() => new Promise((resolve) => navigator.geolocation.getCurrentPosition(
    () => resolve("allowed"),
    (error) => resolve("refused " + error.code),
    { timeout: 5000 },
))"""
ALLOWS = "(name) => document.featurePolicy.allowsFeature(name)"


def test_only_the_punch_pages_may_read_the_location(browser, live_server, people, login):
    context = browser.new_context(
        service_workers=NO_WORKER,
        viewport={"width": 360, "height": 740},
        geolocation={"latitude": 12.9716, "longitude": 77.5946, "accuracy": 15},
        permissions=["geolocation"],  # the person said yes to the site
    )
    context.set_default_timeout(10_000)
    try:
        phone = context.new_page()
        login(phone, live_server.url, "alice@acme.test")  # an agent lands on their day
        assert phone.evaluate(ASK_LOCATION) == "allowed"
        for path in ("/attendance/", "/leads/", "/profile/"):
            phone.goto(f"{live_server.url}{path}")
            expected = "allowed" if path == "/attendance/" else "refused 1"  # 1: PERMISSION_DENIED
            assert phone.evaluate(ASK_LOCATION) == expected, path
            for feature in ("camera", "microphone", "payment", "usb"):
                assert phone.evaluate(ALLOWS, feature) is False, (path, feature)
    finally:
        context.close()
