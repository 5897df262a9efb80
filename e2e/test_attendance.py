"""Punching in and out on a 360-pixel phone, with the browser's location."""

from playwright.sync_api import expect

from e2e.conftest import NO_WORKER
from leadtracker.accounts.models import Organisation
from leadtracker.attendance.models import Shift


def test_punch_in_with_location_and_out_on_a_phone(browser, live_server, people, login):
    Organisation.objects.filter(pk=people.org.pk).update(shift_location=True)
    context = browser.new_context(
        service_workers=NO_WORKER,
        viewport={"width": 360, "height": 740},
        geolocation={"latitude": 12.9716, "longitude": 77.5946, "accuracy": 15},
        permissions=["geolocation"],
    )
    try:
        phone = context.new_page()
        login(phone, live_server.url, "alice@acme.test")
        expect(phone.locator("button:has-text('Punch in')")).to_be_visible()
        phone.click("button:has-text('Punch in')")
        expect(phone.locator(".flash")).to_contain_text("Punched in")
        shift = Shift.objects.get(user=people.alice.user)
        assert (round(shift.start_lat, 4), round(shift.start_lon, 4), shift.start_accuracy_m) == (
            12.9716,
            77.5946,
            15,
        )
        assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        phone.click("button:has-text('Punch out')")
        expect(phone.locator(".flash")).to_contain_text("Punched out")
        shift.refresh_from_db()
        assert shift.ended_at is not None and shift.end_lat is not None
    finally:
        context.close()


def test_location_refused_still_punches(browser, live_server, people, login):
    Organisation.objects.filter(pk=people.org.pk).update(shift_location=True)
    # no permission granted
    context = browser.new_context(service_workers=NO_WORKER, viewport={"width": 360, "height": 740})
    try:
        phone = context.new_page()
        login(phone, live_server.url, "bob@acme.test")
        phone.click("button:has-text('Punch in')")
        expect(phone.locator(".flash")).to_contain_text("Punched in", timeout=15_000)
        assert Shift.objects.get(user=people.bob.user).start_lat is None
    finally:
        context.close()
