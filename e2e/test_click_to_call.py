"""Click-to-call in the browser (issue 19 item 6): with an Exotel line, the lead page, the calling
queue and the lead's outcome sheet show "Call via Exotel" and pass the gates at 360 and 1280 px
(no sideways scroll, axe, target size, no error); a tap on a phone posts the form — no JavaScript
needed — Exotel (a fake on loopback) is asked to connect the agent and the lead, and the page
says so. A connector with a long name ("Exotel Office") squeezes nothing at 360 px: every
button of the row holds its words (the Call button its number) and is at least 44 px."""

import pytest
from playwright.sync_api import expect

from e2e.gates import Gate
from e2e.test_queue import ours
from leadtracker.accounts.audit import Actor
from leadtracker.integrations.actions import add_connector
from leadtracker.integrations.telephony.tests.fake_lines import FakeLine
from leadtracker.testing import make_lead

# The action row's buttons whose words do not fit them, or that are under 44 px.
SQUEEZED_JS = """
() => [...document.querySelectorAll(".queue-actions .button, .lead-actions .button, .line-call-button")]
  .filter((b) => b.offsetParent !== null)
  .filter((b) => {
    const r = b.getBoundingClientRect();
    const inner = [...b.querySelectorAll("span")].some((s) => s.scrollWidth > s.clientWidth + 1
      || s.getBoundingClientRect().right > r.right + 0.5);
    return b.scrollWidth > b.clientWidth + 1 || r.width < 44 || r.height < 44 || inner;
  })
  .map((b) => b.innerText.trim() + " " + Math.round(b.getBoundingClientRect().width) + " px")
"""


@pytest.mark.slow(reason="gates three pages at two widths (axe in each) and places a call through the fake")
def test_the_call_button_on_the_lead_page_queue_and_sheet(live_server, people, phone, login, settings):
    people.alice.user.phone = "99001 12345"
    people.alice.user.save()
    lead = make_lead(people, owner=people.alice, name="Sunita Rao", phone="98450 12345")
    options = {"sid": "acme1", "api_key": "key1", "api_token": "token1", "caller_id": "08047091234"}
    add_connector(people.org, kind="exotel", name="Exotel Office", options=options, actor=Actor.system())
    with FakeLine("exotel", account="acme1", user="key1", password="token1") as exotel:
        settings.EXOTEL_API_URL = exotel.url
        gate = Gate(phone.context, live_server.url)
        gate.watch(phone)
        login(phone, live_server.url, "alice@acme.test", home=False)
        for path in (f"/leads/{lead.pk}/", "/queue/", f"/calls/sheet/lead/{lead.pk}/"):
            for width in (360, 1280):
                # One load serves both widths (as the gates do): the page resized.
                phone.set_viewport_size({"width": width, "height": 740})
                assert ours(gate.check(phone, path if width == 360 else None)) == [], (path, width)
                expect(phone.get_by_role("button", name="Call via Exotel")).to_be_visible()
                assert phone.evaluate(SQUEEZED_JS) == [], (path, width)
        phone.set_viewport_size({"width": 360, "height": 740})
        phone.goto(f"{live_server.url}/leads/{lead.pk}/")
        phone.get_by_role("button", name="Call via Exotel").click()
        expect(phone.locator(".flash").first).to_contain_text("Exotel Office is ringing your phone")
        assert phone.url == f"{live_server.url}/leads/{lead.pk}/"
        assert [(c["form"]["From"], c["form"]["To"]) for c in exotel.calls] == [
            (["+919900112345"], ["+919845012345"])
        ]
