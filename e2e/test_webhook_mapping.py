"""A generic webhook's page with its mapping card, in a browser at 360 and 1280 px: it passes
the gates (e2e/gates.py), the admin maps the phone to a path in the body, and "Send a test"
goes through the webhook and shows in the payload log as a test; a failed delivery with a long
id reads "Failed: …" with its Replay button on screen at 360 px, and its entry's page (what
the provider sent) passes the gates too."""

import pytest
from playwright.sync_api import expect

from e2e.conftest import NO_WORKER
from e2e.gates import Gate
from leadtracker.accounts.audit import Actor
from leadtracker.integrations.actions import add_connector, receive_payload
from leadtracker.integrations.models import Payload


@pytest.mark.slow(
    reason="a browser signs in, gates the connector's page at two widths, saves a mapping and sends a test"
)
def test_the_mapping_card_passes_the_gates_and_sends_a_test(browser, live_server, people, login):
    hook, _ = add_connector(people.org, kind="webhook", name="Website form", actor=Actor.system())
    path = f"/settings/integrations/{hook.pk}/"
    context = browser.new_context(
        service_workers=NO_WORKER,
        viewport={"width": 360, "height": 800},
        locale="en-IN",
        timezone_id="Asia/Kolkata",
    )
    try:
        gate = Gate(context, live_server.url)
        page = context.new_page()
        login(page, live_server.url, people.adam.user.email, home=False)
        problems = gate.check(page, path)
        assert not problems, "\n".join(problems)
        page.set_viewport_size({"width": 1280, "height": 800})
        assert gate.check(page, None) == []

        card = page.locator("section[aria-labelledby=mapping-title]")
        card.get_by_label("Phone", exact=True).fill("contact.mobile")
        card.get_by_label("Name").fill("contact.name")
        card.get_by_role("button", name="Save mapping").click()
        expect(page.get_by_text("Mapping saved.")).to_be_visible()
        expect(card.get_by_label("Phone", exact=True)).to_have_value("contact.mobile")

        card = page.locator("section[aria-labelledby=mapping-title]")
        card.get_by_role("button", name="Send a test").click()
        expect(page.get_by_text("Sample sent and accepted")).to_be_visible()
        payload = Payload.objects.get(connector=hook)
        assert payload.is_test
        assert payload.body["contact"] == {"mobile": "+91 98765 43210", "name": "Test Lead (LeadTracker)"}
        expect(page.locator(".payload-log .badge", has_text="test")).to_be_visible()

        # A failure with a long id at 360 px: the log is cards, the result and Replay on screen.
        receive_payload(hook, "body:" + "6f1488c3" * 8, {"x": 1}, failed="no phone number at 'phone'")
        page.set_viewport_size({"width": 360, "height": 800})
        assert gate.check(page, path) == []
        failed = page.locator(".payload.failed")
        expect(failed).to_contain_text("Failed: no phone number at 'phone'")
        replay = failed.get_by_role("button", name="Replay")
        box = replay.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 360 and box["height"] >= 44

        # The entry's own page, linked from the log ("What it sent"): its body as received, a
        # long unbroken value wrapped inside 360 px, and Replay; gated at both widths.
        long, _ = receive_payload(
            hook, "", {"url": "https://example.in/" + "a1b2c3d4" * 20}, failed="no phone"
        )
        page.goto(f"{live_server.url}{path}")
        page.locator(f"#payload-{long.pk}").get_by_role("link", name="What it sent").click()
        expect(page.locator("pre.payload-body")).to_contain_text("a1b2c3d4a1b2c3d4")
        assert gate.check(page, f"{path}payloads/{long.pk}/") == []
        body = page.locator("pre.payload-body").bounding_box()
        assert body["x"] >= 0 and body["x"] + body["width"] <= 360
        page.set_viewport_size({"width": 1280, "height": 800})
        assert gate.check(page, None) == []
    finally:
        context.close()
