"""A note made offline about a lead that was given to someone else meanwhile: when the network
is back it is not written, and it is listed under "Changes not sent" with its reason, never
dropped silently; a note about a lead still the person's goes through (static/js/sw.js,
static/js/offline.js)."""

import pytest
from playwright.sync_api import expect

from leadtracker.accounts.audit import Actor
from leadtracker.leads.actions.assignment import assign_lead
from leadtracker.leads.models import Activity, ActivityKind
from leadtracker.testing import make_lead, wait_until

ACTIVATED = (
    "navigator.serviceWorker.getRegistration()"
    ".then(r => Boolean(r && r.active && r.active.state === 'activated'))"
)


def _note_offline(phone, base, lead, text):
    phone.goto(f"{base}/leads/{lead.pk}/")
    phone.fill("form[action$='/note/'] textarea[name=body]", text)
    phone.click("form[action$='/note/'] button[type=submit]")


@pytest.mark.slow(reason="a browser signs in, keeps two leads, writes offline and comes back")
def test_a_note_about_a_lead_given_away_is_shown_with_the_reason(phone, live_server, people, login):
    given = make_lead(people, owner=people.alice, name="Asha Sharma", phone="+919812345601")
    kept = make_lead(people, owner=people.alice, name="Sunil Rao", phone="+919812345603")
    login(phone, live_server.url, "alice@acme.test")
    wait_until(lambda: phone.evaluate(ACTIVATED), "the worker to be active")
    if not phone.evaluate("navigator.serviceWorker.controller !== null"):
        phone.reload()
    for lead in (given, kept):
        phone.goto(f"{live_server.url}/leads/{lead.pk}/")  # kept on the phone

    phone.context.set_offline(True)
    _note_offline(phone, live_server.url, given, "Wants a site visit")
    _note_offline(phone, live_server.url, kept, "Sent the brochure")
    expect(phone.locator("#outbox-waiting")).to_have_text("2 changes waiting to send")
    assign_lead(given, people.bob.user_id, actor=Actor.system(), by=None)

    phone.context.set_offline(False)
    refused = phone.locator("#outbox-refused li")
    expect(refused).to_have_count(1)
    expect(refused).to_contain_text("Note")
    expect(refused).to_contain_text("not found: the lead was given to someone else, deleted or erased")
    expect(phone.locator("#outbox-waiting")).to_have_count(0)
    wait_until(
        lambda: Activity.objects.filter(lead=kept, kind=ActivityKind.NOTE).count() == 1, "the kept note"
    )
    assert not Activity.objects.filter(lead=given, kind=ActivityKind.NOTE).exists()
