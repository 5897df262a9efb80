"""On a 360-pixel phone an admin finds an erasure request blocked by a legal hold, releases the
hold, erases the lead with a typed confirmation, and sees the request closed as done."""

import re

from playwright.sync_api import expect

from leadtracker.accounts.audit import Actor
from leadtracker.leads.actions.leads import LeadData, create_lead
from leadtracker.leads.models import Lead
from leadtracker.privacy.holds.actions import create_hold
from leadtracker.privacy.requests.actions import create_request

NO_SIDEWAYS_SCROLL = "document.documentElement.scrollWidth <= window.innerWidth"


def test_admin_releases_a_hold_and_erases_a_lead_on_a_phone(
    phone, live_server, people, login, settings, tmp_path
):
    settings.ERASURE_LEDGER_PATH = tmp_path / "ledger.jsonl"
    lead, _ = create_lead(
        people.org,
        LeadData(name="Sunita Pillai", phones=["+919876501234"], email="sunita@example.in"),
        actor=Actor.system(),
        by=people.olga,
    )
    req = create_request(
        people.org,
        actor=Actor.system(),
        kind="erasure",
        requested_by="Sunita Pillai",
        channel="email",
        lead=lead,
    )
    hold = create_hold(
        people.org, actor=Actor.system(), by=None, reason="Payment dispute with the bank", lead=lead
    )
    login(phone, live_server.url, "adam@acme.test", home=False)

    phone.goto(f"{live_server.url}/settings/privacy/requests/{req.pk}/")
    phone.click("a:has-text('Erase now')")
    expect(phone.locator("h1")).to_have_text(f"Erase lead #{lead.pk}")
    expect(phone.locator(".card", has_text="Legal hold")).to_contain_text("Payment dispute with the bank")
    expect(phone.locator("#confirm")).to_have_count(0)
    assert phone.evaluate(NO_SIDEWAYS_SCROLL)

    phone.click("a:has-text('released')")
    expect(phone.locator("h1")).to_have_text("Legal holds")
    assert phone.evaluate(NO_SIDEWAYS_SCROLL)
    phone.locator("li.card", has_text=f"#{hold.pk}").locator("button:has-text('Release')").click()
    expect(phone.locator(".flash")).to_contain_text(f"Legal hold #{hold.pk} released")

    phone.goto(f"{live_server.url}/settings/privacy/requests/{req.pk}/erase/")
    expect(phone.locator("table")).to_contain_text("phones")
    phone.fill("#confirm", "erase")
    phone.click("button:has-text('Erase now')")
    # The reason alone: the field is the typed word, not the code's "confirm:".
    expect(phone.locator(".flash.error")).to_have_text("type ERASE to confirm")
    assert Lead.objects.get(pk=lead.pk).erased_at is None
    phone.fill("#confirm", "ERASE")
    phone.click("button:has-text('Erase now')")

    expect(phone).to_have_url(re.compile(rf"/settings/privacy/requests/{req.pk}/$"))
    expect(phone.locator(".flash")).to_contain_text("Erased")
    expect(phone.locator("dl.facts").first).to_contain_text("Done")
    assert phone.evaluate(NO_SIDEWAYS_SCROLL)
    assert Lead.objects.get(pk=lead.pk).name == ""
