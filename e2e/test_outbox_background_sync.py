"""Background Sync sends the outbox: a note kept offline registers the sync "outbox" with the
browser (static/js/sw.js), and when Chromium fires that sync, with no page of the site open to
send it on its own, the note reaches the server once. A sync fired while the server is still
out of reach fails, so that the browser tries it again later, and the note keeps waiting.

Headless Chromium does not fire a sync by itself when the network comes back; the test fires
it as the browser would, through the DevTools protocol (ServiceWorker.dispatchSyncEvent)."""

import pytest
from playwright.sync_api import expect

from e2e.conftest import DEADLINE_MS, SW_READY
from leadtracker.leads.models import Activity, ActivityKind
from leadtracker.testing import make_lead, wait_until

pytestmark = pytest.mark.full_chromium(reason="Background Sync: the headless shell has it disabled")

TAGS = SW_READY + ".then(r => r.sync.getTags())"
# The worker's own handler, given a sync event as the browser gives it, says how its pass ended:
# a failed sync is what makes the browser fire it again.
SYNC = """async () => {
  const event = new SyncEvent("sync", { tag: "outbox", lastChance: false });
  let kept = null;
  Object.defineProperty(event, "waitUntil", { value: (promise) => { kept = promise; } });
  self.dispatchEvent(event);
  if (!kept) return "not handled";
  return kept.then(() => "done", (err) => "failed: " + err.message);
}"""


def _notes(lead):
    return Activity.objects.filter(lead=lead, kind=ActivityKind.NOTE).count()


@pytest.mark.slow(reason="a browser signs in, waits for the worker, writes offline and fires the sync twice")
def test_the_outbox_is_sent_by_a_background_sync(browser, live_server, people, login):
    lead = make_lead(people, owner=people.alice, name="Asha Sharma")
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="en-IN")
    try:
        context.set_default_timeout(DEADLINE_MS)
        phone = context.new_page()
        login(phone, live_server.url, "alice@acme.test")
        phone.evaluate(SW_READY + ".then(() => true)")
        if not phone.evaluate("navigator.serviceWorker.controller !== null"):
            phone.reload()
        phone.goto(f"{live_server.url}/leads/{lead.pk}/")

        context.set_offline(True)
        phone.fill("form[action$='/note/'] textarea[name=body]", "Wants a site visit on Sunday")
        phone.click("form[action$='/note/'] button[type=submit]")
        expect(phone.locator("#outbox-waiting")).to_have_text("1 change waiting to send")
        wait_until(lambda: "outbox" in phone.evaluate(TAGS), "the sync to be registered")

        # No page of the site open: nothing but the sync can send the note.
        blank = context.new_page()
        cdp = context.new_cdp_session(blank)
        registrations = []
        cdp.on("ServiceWorker.workerRegistrationUpdated", lambda e: registrations.extend(e["registrations"]))
        cdp.send("ServiceWorker.enable")
        phone.close()
        for _ in range(300):  # events reach Python while Playwright waits, not in time.sleep
            if registrations:
                break
            blank.wait_for_timeout(100)
        [registration] = [r for r in registrations if not r["isDeleted"]]
        fire = {"origin": live_server.url, "registrationId": registration["registrationId"], "tag": "outbox"}

        # Still offline: the sync fails (the browser will try again) and the note waits.
        [worker] = context.service_workers
        assert worker.evaluate(SYNC) == (
            "failed: the server is out of reach: the outbox waits for the next sync"
        )
        cdp.send("ServiceWorker.dispatchSyncEvent", {**fire, "lastChance": False})
        assert _notes(lead) == 0

        context.set_offline(False)
        cdp.send("ServiceWorker.dispatchSyncEvent", {**fire, "lastChance": False})
        wait_until(lambda: _notes(lead) == 1, "the note to arrive by the sync")
        assert worker.evaluate(SYNC) == "done"  # nothing left to send: the sync succeeds
        assert _notes(lead) == 1
    finally:
        context.close()
