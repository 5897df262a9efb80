"""Click-to-call in the browser (issue 19 item 6): with an Exotel line, the lead page, the calling
queue and the lead's outcome sheet show "Call via Exotel" and pass the gates at 360 and 1280 px
(no sideways scroll, axe, target size, no error); a tap on a phone posts the form — no JavaScript
needed — Exotel (a fake on loopback) is asked to connect the agent and the lead, and the page
says so."""

import pytest
from playwright.sync_api import expect

from e2e.gates import Gate
from e2e.test_queue import ours
from leadtracker.integrations.telephony.tests.fake_lines import FakeLine
from leadtracker.integrations.tests.util import connector
from leadtracker.testing import make_lead


@pytest.mark.slow(reason="gates three pages at two widths (axe in each) and places a call through the fake")
def test_the_call_button_on_the_lead_page_queue_and_sheet(live_server, people, phone, login, settings):
    people.alice.user.phone = "99001 12345"
    people.alice.user.save()
    lead = make_lead(people, owner=people.alice, name="Sunita Rao", phone="98450 12345")
    connector(people, "exotel", sid="acme1", api_key="key1", api_token="token1", caller_id="08047091234")
    with FakeLine("exotel", account="acme1", user="key1", password="token1") as exotel:
        settings.EXOTEL_API_URL = exotel.url
        gate = Gate(phone.context, live_server.url)
        gate.watch(phone)
        login(phone, live_server.url, "alice@acme.test")
        for path in (f"/leads/{lead.pk}/", "/queue/", f"/calls/sheet/lead/{lead.pk}/"):
            for width in (360, 1280):
                # One load serves both widths (as the gates do): the page resized.
                phone.set_viewport_size({"width": width, "height": 740})
                assert ours(gate.check(phone, path if width == 360 else None)) == [], (path, width)
                expect(phone.get_by_role("button", name="Call via Exotel")).to_be_visible()
        phone.set_viewport_size({"width": 360, "height": 740})
        phone.goto(f"{live_server.url}/leads/{lead.pk}/")
        phone.get_by_role("button", name="Call via Exotel").click()
        expect(phone.locator(".flash").first).to_contain_text("Exotel is ringing your phone")
        assert phone.url == f"{live_server.url}/leads/{lead.pk}/"
        assert [(c["form"]["From"], c["form"]["To"]) for c in exotel.calls] == [
            (["+919900112345"], ["+919845012345"])
        ]
