"""Offline reading covers the leads of missed calls to return, not only of follow-ups: a lead
whose call was missed a few minutes ago is listed on My day, read ahead by the service worker
without being opened, and its page opens without a network, marked "as of" (static/js/sw.js,
static/js/offline.js)."""

import pytest
from playwright.sync_api import expect

from leadtracker.testing import call, make_lead, open_shift, paired_client, send, start_test_clock, wait_until

# What this file tests is done by our service worker: it runs in the file's pages, which
# otherwise block it (e2e/conftest.py, workers_for).
pytestmark = pytest.mark.service_worker

ACTIVATED = (
    "navigator.serviceWorker.getRegistration()"
    ".then(r => Boolean(r && r.active && r.active.state === 'activated'))"
)
KEPT = "url => caches.open('pages').then(c => c.match(url)).then(Boolean)"


@pytest.mark.slow(reason="a browser signs in, waits for the worker to read ahead, then goes offline")
def test_the_lead_of_a_missed_call_is_readable_offline(phone, live_server, people, login):
    start_test_clock()
    lead = make_lead(people, owner=people.alice, name="Kavya Nair", phone="+919812345678")
    open_shift(people.alice)
    answer = send(
        paired_client(people.alice),
        [call(1, number="+919812345678", type="missed", minutes_ago=5, duration_s=0)],
    )
    assert answer.status_code == 200, answer.content
    login(phone, live_server.url, "alice@acme.test")
    wait_until(lambda: phone.evaluate(ACTIVATED), "the worker to be active")
    if not phone.evaluate("navigator.serviceWorker.controller !== null"):
        phone.reload()
    phone.goto(f"{live_server.url}/my-day/")
    expect(phone.locator("#missed + ul")).to_contain_text("Kavya Nair")
    page_of_lead = f"{live_server.url}/leads/{lead.pk}/"
    wait_until(lambda: phone.evaluate(KEPT, page_of_lead), "the lead to be read ahead")

    phone.context.set_offline(True)
    phone.goto(f"{live_server.url}/my-day/")
    phone.click(f"#missed + ul a[href='/leads/{lead.pk}/']")
    expect(phone.locator("h1")).to_contain_text("Kavya Nair")
    expect(phone.locator("#offline-as-of")).to_contain_text("Offline · as of")
