"""A page read offline is the phone's kept copy, "Offline · as of 4:49 am"; when the network
comes back the copy stays on screen (the person may be reading or typing), so its banner offers
"Show the latest", which loads the page from the server (static/js/offline.js)."""

import pytest
from playwright.sync_api import expect

from leadtracker.testing import make_lead, wait_until

# What this file tests is done by our service worker: it runs in the file's pages, which
# otherwise block it (e2e/conftest.py, workers_for).
pytestmark = pytest.mark.service_worker

ACTIVATED = (
    "navigator.serviceWorker.getRegistration()"
    ".then(r => Boolean(r && r.active && r.active.state === 'activated'))"
)


@pytest.mark.slow(reason="a browser signs in, waits for the worker, goes offline and back")
def test_a_copy_read_offline_offers_the_latest_when_back_online(phone, live_server, people, login):
    lead = make_lead(people, owner=people.alice, name="Meena Iyer")
    login(phone, live_server.url, "alice@acme.test")
    wait_until(lambda: phone.evaluate(ACTIVATED), "the worker to be active")
    if not phone.evaluate("navigator.serviceWorker.controller !== null"):
        phone.reload()
    phone.goto(f"{live_server.url}/leads/{lead.pk}/")  # kept on the phone

    phone.context.set_offline(True)
    phone.goto(f"{live_server.url}/leads/{lead.pk}/")
    banner = phone.locator("#offline-as-of")
    expect(banner).to_contain_text("Offline · as of")
    expect(phone.locator("#offline-reload")).to_have_count(0)  # nothing newer to show yet

    phone.context.set_offline(False)
    expect(phone.locator("#offline-reload")).to_have_text("Show the latest")
    phone.click("#offline-reload")
    expect(phone.locator("h1")).to_contain_text("Meena Iyer")
    expect(phone.locator("#offline-as-of")).to_have_count(0)
