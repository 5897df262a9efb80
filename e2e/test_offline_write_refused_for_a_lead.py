"""Notes made offline about leads that changed meanwhile on the server: one was given to someone
else, another erased. When the network is back neither note is written, and each is listed under
"Changes not sent" with its reason, never dropped silently; a note about a lead still the
person's goes through (static/js/sw.js, static/js/offline.js, leads/actions/permissions.py)."""

import pytest
from playwright.sync_api import expect

from leadtracker.accounts.audit import Actor
from leadtracker.leads.actions.assignment import assign_lead
from leadtracker.leads.models import Activity, ActivityKind, Lead
from leadtracker.privacy.erasure.actions import erase_lead
from leadtracker.testing import make_lead, wait_until

# What this file tests is done by our service worker: it runs in the file's pages, which
# otherwise block it (e2e/conftest.py, workers_for).
pytestmark = pytest.mark.service_worker

ACTIVATED = (
    "navigator.serviceWorker.getRegistration()"
    ".then(r => Boolean(r && r.active && r.active.state === 'activated'))"
)


@pytest.fixture
def ledger_file(settings, tmp_path):
    """A ledger of erasures of the test's own, so that no test replays another's."""
    settings.ERASURE_LEDGER_PATH = tmp_path / "ledger.jsonl"
    return settings.ERASURE_LEDGER_PATH


def _note_offline(phone, base, lead, text):
    phone.goto(f"{base}/leads/{lead.pk}/")
    phone.fill("form[action$='/note/'] textarea[name=body]", text)
    phone.click("form[action$='/note/'] button[type=submit]")


@pytest.mark.slow(reason="a browser signs in, keeps three leads, writes offline and comes back")
def test_notes_about_a_lead_given_away_or_erased_are_shown_with_the_reason(
    phone, live_server, people, login, ledger_file
):
    given = make_lead(people, owner=people.alice, name="Asha Sharma", phone="+919812345601")
    erased = make_lead(people, owner=people.alice, name="Ravi Kumar", phone="+919812345602")
    kept = make_lead(people, owner=people.alice, name="Sunil Rao", phone="+919812345603")
    login(phone, live_server.url, "alice@acme.test")
    wait_until(lambda: phone.evaluate(ACTIVATED), "the worker to be active")
    if not phone.evaluate("navigator.serviceWorker.controller !== null"):
        phone.reload()
    for lead in (given, erased, kept):
        phone.goto(f"{live_server.url}/leads/{lead.pk}/")  # kept on the phone

    phone.context.set_offline(True)
    _note_offline(phone, live_server.url, given, "Wants a site visit")
    _note_offline(phone, live_server.url, erased, "Call after Diwali")
    _note_offline(phone, live_server.url, kept, "Sent the brochure")
    expect(phone.locator("#outbox-waiting")).to_have_text("3 changes waiting to send")
    assign_lead(given, people.bob.user_id, actor=Actor.system(), by=None)
    erase_lead(Lead.objects.get(pk=erased.pk), actor=Actor.system())

    phone.context.set_offline(False)
    refused = phone.locator("#outbox-refused li")
    expect(refused).to_have_count(2)
    for reason in (
        "not found: the lead was given to someone else, deleted or erased",
        "this lead was erased: nothing can be added to it",
    ):
        expect(refused.filter(has_text=reason)).to_contain_text("Note")
    expect(phone.locator("#outbox-waiting")).to_have_count(0)
    wait_until(
        lambda: Activity.objects.filter(lead=kept, kind=ActivityKind.NOTE).count() == 1, "the kept note"
    )
    assert not Activity.objects.filter(lead_id__in=[given.pk, erased.pk], kind=ActivityKind.NOTE).exists()
