"""The installable web app on a 360-pixel phone: a valid manifest and an active service worker;
pages read without a network, marked "as of"; a note and a punch-out made offline reach the
server once each when the network is back; writes made offline are recorded at the time they
were made; a write refused on arrival is shown with its reason; logging out with changes
waiting asks first, and a change waiting over a week expires with a message; the last 50 leads
opened are kept, no more (static/js/sw.js, static/js/offline.js, accounts/idempotency.py)."""

import datetime as dt

import pytest
from django.utils import timezone
from gates import Gate
from playwright.sync_api import expect

from e2e.conftest import SW_READY
from leadtracker.accounts.audit import Actor
from leadtracker.accounts.models import IdempotentRequest
from leadtracker.attendance.models import Shift
from leadtracker.calls.models import Call, Outcome
from leadtracker.leads.actions.follow_ups import schedule_follow_up
from leadtracker.leads.models import Activity, ActivityKind, Lead
from leadtracker.testing import login_client, make_lead, open_shift, wait_until

# What this file tests is done by our service worker: it runs in the file's pages, which
# otherwise block it (e2e/conftest.py, workers_for).
pytestmark = pytest.mark.service_worker

ACTIVATED = (
    "navigator.serviceWorker.getRegistration()"
    ".then(r => Boolean(r && r.active && r.active.state === 'activated'))"
)


def _wait_until(page, expression: str, arg=None):
    """Polls ``expression`` through page.evaluate. Not wait_for_function: that polls with a
    function the page makes from the string (eval), which our CSP refuses once the first answer
    is false."""
    wait_until(lambda: page.evaluate(expression, arg), expression)


def _controlled(phone):
    # The worker claims the open pages when it activates; a page whose load was still under way
    # then is missed and stays uncontrolled (seen about once in 12 tests on a loaded machine).
    # The next load is controlled, as a person's next page would be.
    _wait_until(phone, ACTIVATED)
    if not phone.evaluate("navigator.serviceWorker.controller !== null"):
        phone.reload()
    _wait_until(phone, "navigator.serviceWorker.controller !== null")


# The phone stayed offline for hours: every change waiting in the outbox says it was made then.
BACKDATE = """async (madeAt) => {
  const conn = await new Promise((resolve, reject) => {
    const open = indexedDB.open("leadtracker-offline");
    open.onsuccess = () => resolve(open.result);
    open.onerror = () => reject(open.error);
  });
  const all = await new Promise((resolve) => {
    const read = conn.transaction("outbox").objectStore("outbox").getAll();
    read.onsuccess = () => resolve(read.result);
  });
  await new Promise((resolve, reject) => {
    const tx = conn.transaction("outbox", "readwrite");
    for (const entry of all) tx.objectStore("outbox").put({ ...entry, madeAt });
    tx.oncomplete = resolve;
    tx.onerror = () => reject(tx.error);
  });
  conn.close();
  return all.length;
}"""


def _notes(lead):
    return Activity.objects.filter(lead=lead, kind=ActivityKind.NOTE).count()


def test_the_manifest_is_valid_and_the_worker_active(phone, live_server, people, login):
    login(phone, live_server.url, "alice@acme.test")
    state = phone.evaluate(SW_READY + ".then(r => r.active.state)")
    assert state in ("activating", "activated")
    manifest = phone.evaluate(
        """fetch(document.querySelector('link[rel=manifest]').href)
             .then(async r => ({type: r.headers.get('content-type'), body: await r.json()}))"""
    )
    assert manifest["type"] == "application/manifest+json"
    body = manifest["body"]
    assert body["display"] == "standalone" and body["start_url"] == "/"
    assert {"192x192", "512x512"} <= {i["sizes"] for i in body["icons"]}
    assert any(i["purpose"] == "maskable" for i in body["icons"])
    assert [s["name"] for s in body["shortcuts"]] == ["Punch in", "Start calling", "New lead"]
    cdp = phone.context.new_cdp_session(phone)
    assert cdp.send("Page.getAppManifest")["errors"] == []
    errors = cdp.send("Page.getInstallabilityErrors")["installabilityErrors"]
    # A Playwright context is an incognito profile, where Chromium installs nothing whatever the app.
    assert [e["errorId"] for e in errors if e["errorId"] != "in-incognito"] == []


def test_a_note_and_a_punch_out_made_offline_arrive_once(phone, live_server, people, login):
    lead = make_lead(people, owner=people.alice, name="Asha Sharma")
    shift = open_shift(people.alice, hours_ago=3)
    login(phone, live_server.url, "alice@acme.test")
    _controlled(phone)
    phone.goto(f"{live_server.url}/attendance/")
    phone.goto(f"{live_server.url}/leads/{lead.pk}/")

    phone.context.set_offline(True)
    phone.fill("form[action$='/note/'] textarea[name=body]", "Wants a site visit on Sunday")
    phone.click("form[action$='/note/'] button[type=submit]")
    expect(phone.locator("#offline-as-of")).to_contain_text("Offline · as of")
    expect(phone.locator("#outbox-waiting")).to_have_text("1 change waiting to send")
    phone.goto(f"{live_server.url}/attendance/")
    phone.click("button:has-text('Punch out')")
    expect(phone.locator("#outbox-waiting")).to_have_text("2 changes waiting to send")
    assert _notes(lead) == 0
    shift.refresh_from_db()
    assert shift.ended_at is None

    phone.context.set_offline(False)
    wait_until(lambda: _notes(lead) == 1 and Shift.objects.get(pk=shift.pk).ended_at, "the writes to arrive")
    phone.reload()
    expect(phone.locator("#outbox-waiting")).to_have_count(0)
    assert _notes(lead) == 1
    # Sent again with its key (a phone that never heard the answer): still one note.
    kept = IdempotentRequest.objects.get(user=people.alice.user, path=f"/leads/{lead.pk}/note/")
    client = login_client(people.alice)
    for _ in range(5):
        again = client.post(kept.path, {"body": "Site visit"}, HTTP_IDEMPOTENCY_KEY=kept.key)
        assert again.status_code == 302
    assert _notes(lead) == 1


def test_an_outcome_recorded_offline_arrives_once(phone, live_server, people, login):
    lead = make_lead(people, owner=people.alice, name="Ravi Kumar")
    outcome = Outcome.objects.filter(organisation=people.org, asks_follow_up=False, is_active=True).first()
    login(phone, live_server.url, "alice@acme.test")
    _controlled(phone)
    phone.goto(f"{live_server.url}/calls/sheet/lead/{lead.pk}/")
    phone.context.set_offline(True)
    phone.click(f"label[for=outcome-{outcome.pk}]")
    phone.click("button:has-text('Save without a follow-up')")
    expect(phone.locator("#outbox-waiting")).to_have_text("1 change waiting to send")
    assert not Call.objects.filter(lead=lead).exists()
    phone.context.set_offline(False)
    wait_until(lambda: Call.objects.filter(lead=lead, outcome=outcome).exists(), "the outcome to arrive")
    phone.reload()
    expect(phone.locator("#outbox-waiting")).to_have_count(0)
    assert Call.objects.filter(lead=lead).count() == 1


def test_writes_made_offline_are_recorded_when_they_were_made(phone, live_server, people, login):
    lead = make_lead(people, owner=people.alice, name="Sunil Rao")
    outcome = Outcome.objects.filter(organisation=people.org, asks_follow_up=False, is_active=True).first()
    login(phone, live_server.url, "alice@acme.test")
    _controlled(phone)
    for path in ("/leads/new/", f"/calls/sheet/lead/{lead.pk}/", f"/leads/{lead.pk}/"):
        phone.goto(f"{live_server.url}{path}")  # kept on the phone for filling in offline

    phone.context.set_offline(True)
    phone.fill("form[action$='/note/'] textarea[name=body]", "Asked for the brochure")
    phone.click("form[action$='/note/'] button[type=submit]")
    expect(phone.locator("#outbox-waiting")).to_have_text("1 change waiting to send")
    phone.locator("#follow-up-form").evaluate("form => (form.closest('details').open = true)")
    phone.fill("#follow-up-form input[name=due_at]", "2030-01-02T11:00")
    phone.click("#follow-up-form button[type=submit]")
    expect(phone.locator("#outbox-waiting")).to_have_text("2 changes waiting to send")
    phone.goto(f"{live_server.url}/calls/sheet/lead/{lead.pk}/")
    phone.click(f"label[for=outcome-{outcome.pk}]")
    phone.click("button:has-text('Save without a follow-up')")
    expect(phone.locator("#outbox-waiting")).to_have_text("3 changes waiting to send")
    phone.goto(f"{live_server.url}/leads/new/")
    phone.fill("input[name=name]", "Geeta Menon")
    phone.fill("input[name=phones]", "98111 22244")
    phone.click("main form button[type=submit]")
    expect(phone.locator("#outbox-waiting")).to_have_text("4 changes waiting to send")
    made = (timezone.now() - dt.timedelta(hours=3)).replace(microsecond=250_000)
    assert phone.evaluate(BACKDATE, made.isoformat()) == 4

    phone.context.set_offline(False)
    wait_until(
        lambda: (
            Lead.objects.filter(name="Geeta Menon").exists()
            and Call.objects.filter(lead=lead, outcome=outcome).exists()
            and Activity.objects.filter(
                lead=lead, kind__in=[ActivityKind.NOTE, ActivityKind.FOLLOW_UP]
            ).count()
            == 2
        ),
        "the four changes to arrive",
    )
    assert Activity.objects.get(lead=lead, kind=ActivityKind.NOTE).at == made
    assert Activity.objects.get(lead=lead, kind=ActivityKind.FOLLOW_UP).at == made
    assert Call.objects.get(lead=lead).disposed_at == made
    assert Lead.objects.get(name="Geeta Menon").created_at == made
    phone.goto(f"{live_server.url}/leads/{lead.pk}/")
    note = phone.locator("#lead-timeline li.kind-note")
    expect(note).to_contain_text("made offline, sent later")
    # Newest first: the note made three hours ago sits below the lead's creation, made today.
    kinds = phone.eval_on_selector_all("#lead-timeline > li", "items => items.map(i => i.className)")
    assert kinds.index("kind-note") > kinds.index("kind-created"), kinds


def test_a_write_refused_on_arrival_is_shown_with_its_reason(phone, live_server, people, login):
    shift = open_shift(people.alice, hours_ago=3)
    login(phone, live_server.url, "alice@acme.test")
    _controlled(phone)
    phone.goto(f"{live_server.url}/attendance/")
    phone.context.set_offline(True)
    phone.click("button:has-text('Punch out')")
    expect(phone.locator("#outbox-waiting")).to_have_text("1 change waiting to send")
    # Meanwhile the shift is closed on the server (a manager's correction, the day's end).
    Shift.objects.filter(pk=shift.pk).update(ended_at=shift.started_at + dt.timedelta(hours=1))
    phone.context.set_offline(False)
    expect(phone.locator("#outbox-refused")).to_contain_text("Punch out")
    expect(phone.locator("#outbox-refused")).to_contain_text("you are not punched in")
    expect(phone.locator("#outbox-waiting")).to_have_count(0)
    phone.click("#outbox-refused button:has-text('Dismiss')")
    expect(phone.locator("#outbox-refused")).to_have_count(0)


def test_my_day_and_its_leads_are_readable_offline(phone, live_server, people, login):
    lead = make_lead(people, owner=people.alice, name="Meena Iyer")
    schedule_follow_up(
        lead,
        due_at=timezone.now() + dt.timedelta(minutes=30),
        actor=Actor.system(),
        by=people.alice,
    )
    login(phone, live_server.url, "alice@acme.test")
    _controlled(phone)
    phone.goto(f"{live_server.url}/my-day/")
    # Read ahead by the worker: the lead was never opened on this phone.
    _wait_until(
        phone,
        "url => caches.open('pages').then(c => c.match(url)).then(Boolean)",
        f"{live_server.url}/leads/{lead.pk}/",
    )
    phone.context.set_offline(True)
    phone.goto(f"{live_server.url}/my-day/")
    expect(phone.locator("#offline-as-of")).to_contain_text("Offline · as of")
    phone.click(f"main a[href='/leads/{lead.pk}/']")
    expect(phone.locator("h1")).to_contain_text("Meena Iyer")
    expect(phone.locator("#offline-as-of")).to_contain_text("Offline · as of")
    phone.goto(f"{live_server.url}/calls/recent/")
    expect(phone.locator("h1")).to_have_text("No network")


def test_the_calling_queue_is_readable_offline(phone, live_server, people, login):
    lead = make_lead(people, owner=people.alice, name="Ishaan Verma")
    schedule_follow_up(
        lead,
        due_at=timezone.now() - dt.timedelta(minutes=10),
        actor=Actor.system(),
        by=people.alice,
    )
    login(phone, live_server.url, "alice@acme.test")
    _controlled(phone)
    phone.goto(f"{live_server.url}/queue/")
    expect(phone.locator("main")).to_contain_text("Ishaan Verma")
    # The queue's leads are read ahead as My day's are: the card opens offline without a visit.
    _wait_until(
        phone,
        "url => caches.open('pages').then(c => c.match(url)).then(Boolean)",
        f"{live_server.url}/leads/{lead.pk}/",
    )
    phone.context.set_offline(True)
    phone.goto(f"{live_server.url}/queue/")
    expect(phone.locator("#offline-as-of")).to_contain_text("Offline · as of")
    expect(phone.locator("main")).to_contain_text("Ishaan Verma")
    phone.goto(f"{live_server.url}/leads/{lead.pk}/")
    expect(phone.locator("h1")).to_contain_text("Ishaan Verma")


def test_kept_pages_go_at_logout(phone, live_server, people, login):
    lead = make_lead(people, owner=people.alice, name="Farhan Ali")
    login(phone, live_server.url, "alice@acme.test")
    _controlled(phone)
    phone.goto(f"{live_server.url}/leads/{lead.pk}/")
    phone.click("#menu-toggle + label")
    phone.click("button:has-text('Log out')")
    phone.wait_for_url("**/login/**")
    assert phone.evaluate("caches.open('pages').then(c => c.keys()).then(k => k.length)") == 0
    phone.context.set_offline(True)
    phone.goto(f"{live_server.url}/leads/{lead.pk}/")
    expect(phone.locator("h1")).to_have_text("No network")
    expect(phone.locator("body")).not_to_contain_text("Farhan Ali")


def test_another_person_on_the_phone_gets_nothing_of_the_first(phone, live_server, people, login):
    lead = make_lead(people, owner=people.alice, name="Kavya Rao")
    login(phone, live_server.url, "alice@acme.test")
    _controlled(phone)
    phone.goto(f"{live_server.url}/leads/{lead.pk}/")
    phone.context.set_offline(True)
    phone.fill("form[action$='/note/'] textarea[name=body]", "Alice's note")
    phone.click("form[action$='/note/'] button[type=submit]")
    expect(phone.locator("#outbox-waiting")).to_have_text("1 change waiting to send")
    # Alice's session ends without a logout (it expired); Bob signs in on the same phone.
    phone.context.clear_cookies()
    phone.context.set_offline(False)
    login(phone, live_server.url, "bob@acme.test")
    _wait_until(phone, "caches.open('pages').then(c => c.keys()).then(k => k.length <= 1)")
    kept = phone.evaluate("caches.open('pages').then(c => c.keys()).then(k => k.map(r => r.url))")
    assert f"{live_server.url}/leads/{lead.pk}/" not in kept
    expect(phone.locator("#outbox-waiting")).to_have_count(0)
    # Alice's change waits for Alice: never sent in Bob's name.
    assert _notes(lead) == 0
    phone.context.clear_cookies()
    login(phone, live_server.url, "alice@acme.test")
    wait_until(lambda: _notes(lead) == 1, "Alice's note to arrive once she is back")
    assert Activity.objects.get(lead=lead, kind=ActivityKind.NOTE).actor == people.alice.user


def _note_offline(phone, live_server, lead, text):
    phone.goto(f"{live_server.url}/leads/{lead.pk}/")
    phone.context.set_offline(True)
    phone.fill("form[action$='/note/'] textarea[name=body]", text)
    phone.click("form[action$='/note/'] button[type=submit]")
    expect(phone.locator("#outbox-waiting")).to_have_text("1 change waiting to send")


def _log_out(phone):
    phone.click("#menu-toggle + label")
    phone.click("button:has-text('Log out')")


def test_logging_out_with_changes_waiting_asks_and_discard_drops_them(phone, live_server, people, login):
    lead = make_lead(people, owner=people.alice, name="Tara Singh")
    gate = Gate(phone.context, live_server.url)
    login(phone, live_server.url, "alice@acme.test")
    _controlled(phone)
    _note_offline(phone, live_server, lead, "Discard me")
    _log_out(phone)
    ask = phone.locator("#outbox-logout")
    expect(ask).to_contain_text("1 change not sent")
    expect(ask.locator("button")).to_have_text(["Send now", "Discard and log out", "Keep them and log out"])
    # The question passes the page gates at 360 px (axe, tap targets, no sideways scroll).
    assert gate.check(phone, None) == []
    assert "/login/" not in phone.url  # not logged out until the person chooses
    ask.locator("button:has-text('Send now')").click()
    expect(phone.locator("#outbox-logout-said")).to_contain_text("No network: not sent")
    ask.locator("button:has-text('Discard and log out')").click()
    # Offline the server cannot be told; the phone forgets the pages and the change at once.
    expect(phone.locator("h1")).to_have_text("No network")
    expect(phone.locator("main")).to_contain_text("log out again when the network is back")
    phone.context.set_offline(False)
    phone.goto(f"{live_server.url}/my-day/")
    _controlled(phone)
    expect(phone.locator("#outbox-waiting")).to_have_count(0)
    assert phone.evaluate(BACKDATE, "2026-01-01T00:00:00Z") == 0  # nothing left in the outbox
    assert _notes(lead) == 0


def test_send_now_sends_the_waiting_changes_then_logs_out(phone, live_server, people, login):
    lead = make_lead(people, owner=people.alice, name="Imran Sheikh")
    login(phone, live_server.url, "alice@acme.test")
    _controlled(phone)
    _note_offline(phone, live_server, lead, "Send me")
    _log_out(phone)
    expect(phone.locator("#outbox-logout")).to_contain_text("1 change not sent")
    phone.context.set_offline(False)
    phone.click("#outbox-logout button:has-text('Send now')")
    phone.wait_for_url("**/login/**")
    assert _notes(lead) == 1


def test_a_change_waiting_over_a_week_expires_with_a_message(phone, live_server, people, login):
    lead = make_lead(people, owner=people.alice, name="Neha Joshi")
    login(phone, live_server.url, "alice@acme.test")
    _controlled(phone)
    _note_offline(phone, live_server, lead, "Too old")
    week_ago = (timezone.now() - dt.timedelta(days=8)).isoformat()
    assert phone.evaluate(BACKDATE, week_ago) == 1
    phone.context.set_offline(False)
    phone.reload()
    refused = phone.locator("#outbox-refused")
    expect(refused).to_contain_text("Note")
    expect(refused).to_contain_text("not sent for over 7 days, so given up")
    expect(phone.locator("#outbox-waiting")).to_have_count(0)
    assert _notes(lead) == 0


SEED_RECENT = """async ([hrefs]) => {
  const cache = await caches.open("pages");
  for (const href of hrefs) {
    await cache.put(href, new Response("<p>kept</p>", { headers: { "Content-Type": "text/html" } }));
  }
  const conn = await new Promise((resolve, reject) => {
    const open = indexedDB.open("leadtracker-offline");
    open.onsuccess = () => resolve(open.result);
    open.onerror = () => reject(open.error);
  });
  await new Promise((resolve, reject) => {
    const tx = conn.transaction("meta", "readwrite");
    tx.objectStore("meta").put(hrefs, "recent");
    tx.oncomplete = resolve;
    tx.onerror = () => reject(tx.error);
  });
  conn.close();
}"""
KEPT_PAGES = "caches.open('pages').then(c => c.keys()).then(k => k.map(r => r.url))"


def test_the_last_50_leads_opened_are_kept_and_no_more(phone, live_server, people, login):
    lead = make_lead(people, owner=people.alice, name="Latest Lead")
    login(phone, live_server.url, "alice@acme.test")
    _controlled(phone)
    # Fifty leads opened before, newest first, kept on the phone.
    before = [f"{live_server.url}/leads/{900000 + i}/" for i in range(50)]
    phone.evaluate(SEED_RECENT, [before])
    opened = f"{live_server.url}/leads/{lead.pk}/"
    phone.goto(opened)
    wait_until(
        lambda: (pages := phone.evaluate(KEPT_PAGES)) and opened in pages and before[-1] not in pages,
        "the lead just opened to be kept and the oldest of the fifty to go",
    )
    kept = {url for url in phone.evaluate(KEPT_PAGES) if "/leads/" in url}
    assert kept == {opened, *before[:49]}  # the oldest of the fifty goes
