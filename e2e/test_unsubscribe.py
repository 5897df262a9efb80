"""The unsubscribe link from a marketing message works in a fresh browser that never logged in,
takes effect at once, and fits a 360-pixel phone screen."""

from playwright.sync_api import expect

from leadtracker.accounts.audit import Actor
from leadtracker.leads.actions.leads import LeadData, create_lead
from leadtracker.leads.consent import unsubscribe_token
from leadtracker.leads.models import ConsentEvent


def test_the_unsubscribe_link_works_without_login(phone, live_server, people):
    lead, _ = create_lead(
        people.org,
        LeadData(
            name="Priya Sharma",
            phones=["98765 43210"],
            email="priya.sharma@example.in",
            marketing_consent=True,
        ),
        actor=Actor.system(),
        by=None,
    )
    # The phone fixture is a new browser context: no session cookie, no CSRF cookie.
    assert phone.context.cookies() == []
    phone.goto(f"{live_server.url}/unsubscribe/{unsubscribe_token(lead)}/", wait_until="domcontentloaded")
    expect(phone.locator("h1")).to_have_text("Marketing messages from Acme")
    expect(phone.locator("text=p•••@example.in")).to_be_visible()
    assert "Priya" not in phone.content()
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    phone.click("button:has-text('Stop marketing messages')")
    expect(phone.locator("h1")).to_have_text("You will get no more marketing messages")
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    lead.refresh_from_db()
    assert lead.marketing_consent is False
    event = ConsentEvent.objects.get(lead=lead, given=False)
    assert (event.method, event.recorded_by_id) == ("unsubscribe_link", None)
