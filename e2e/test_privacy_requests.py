"""On a 360-pixel phone an admin registers an access request for a lead found by its number
written in another format, finds it in the register with its due date, and closes it as done."""

import re

from django.utils import timezone
from playwright.sync_api import expect

from leadtracker.accounts.audit import Actor
from leadtracker.leads.actions.leads import LeadData, create_lead
from leadtracker.privacy.models import DataRequest

NO_SIDEWAYS_SCROLL = "document.documentElement.scrollWidth <= window.innerWidth"


def test_admin_registers_and_closes_an_access_request_on_a_phone(phone, live_server, people, login):
    lead, _ = create_lead(
        people.org,
        LeadData(name="Ravi Kumar", phones=["+919876543210"], email="ravi@example.in"),
        actor=Actor.system(),
        by=people.olga,
    )
    login(phone, live_server.url, "adam@acme.test", home=False)

    phone.goto(f"{live_server.url}/settings/privacy/requests/")
    expect(phone.locator("h1")).to_have_text("Data requests")
    expect(phone.locator("text=No data requests yet")).to_be_visible()
    assert phone.evaluate(NO_SIDEWAYS_SCROLL)

    phone.click("a:has-text('New request')")
    expect(phone.locator("h1")).to_have_text("New data request")
    assert phone.evaluate(NO_SIDEWAYS_SCROLL)
    phone.select_option("#kind", "access")
    phone.fill("#lead_contact", "098765 43210")  # stored as +919876543210
    phone.fill("#requested_by", "Ravi Kumar")
    phone.select_option("#channel", "email")
    phone.fill("#details", "A copy of everything you hold about me")
    phone.fill("#verification_note", "Wrote from the e-mail address on file")
    phone.click("button:has-text('Register')")

    req = DataRequest.objects.get(organisation=people.org)
    expect(phone).to_have_url(re.compile(rf"/settings/privacy/requests/{req.pk}/$"))
    expect(phone.locator(".flash")).to_contain_text(f"Request #{req.pk} registered")
    due = timezone.localtime(req.due_at, people.org.tzinfo)
    assert phone.evaluate(NO_SIDEWAYS_SCROLL)

    phone.click("a:has-text('← Data requests')")
    row = phone.locator("li.card", has_text=f"#{req.pk} Access")
    expect(row).to_contain_text("Ravi Kumar")
    expect(row).to_contain_text(f"due {due.day} {due:%b %Y}")
    expect(row.locator(".badge")).to_have_text("Open")
    assert phone.evaluate(NO_SIDEWAYS_SCROLL)

    row.locator(f"a:has-text('#{req.pk} Access')").click()
    expect(phone.locator("h1")).to_have_text(f"Access request #{req.pk}")
    expect(phone.locator("dl.facts")).to_contain_text("Ravi Kumar")
    assert phone.evaluate(NO_SIDEWAYS_SCROLL)
    phone.select_option("#status", "done")
    phone.fill("#outcome", "Sent a copy of the lead's record and call history by e-mail")
    phone.click("button:has-text('Save')")
    expect(phone.locator(".flash")).to_contain_text("Request closed.")
    expect(phone.locator("text=A closed request cannot change.")).to_be_visible()
    expect(phone.locator("button:has-text('Save')")).to_have_count(0)
    assert phone.evaluate(NO_SIDEWAYS_SCROLL)

    req.refresh_from_db()
    assert req.lead_id == lead.pk and req.member_id is None
    assert (req.kind, req.channel, req.status) == ("access", "email", "done")
    assert req.requested_by == "Ravi Kumar"
    assert req.verification_note == "Wrote from the e-mail address on file"
    assert req.outcome == "Sent a copy of the lead's record and call history by e-mail"
    assert req.closed_at is not None and req.closed_by_id == people.adam.user_id
    assert req.due_at > req.received_at
