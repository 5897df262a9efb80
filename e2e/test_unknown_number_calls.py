"""An agent's missed call from a number that is no lead, on a 360-pixel phone: it waits in
Missed calls, she records its outcome (saved, and shown), and makes a lead of it with the
number filled in."""

import datetime as dt

from django.utils import timezone
from playwright.sync_api import expect

from leadtracker.accounts.audit import Actor
from leadtracker.attendance.models import Shift
from leadtracker.calls import actions
from leadtracker.calls.models import Call, CallBack
from leadtracker.leads.models import Lead


def fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_a_missed_call_from_an_unknown_number_on_a_phone(live_server, people, phone, login, sync_calls):
    shift = Shift.objects.create(
        organisation=people.org, user=people.alice.user, started_at=timezone.now() - dt.timedelta(hours=2)
    )
    _code, raw = actions.create_pairing_code(people.alice, actor=Actor.system(), by=None)
    _device, token = actions.pair_device(raw, name="Alice's phone", actor=Actor.system())
    rang = shift.started_at.replace(microsecond=0) + dt.timedelta(minutes=30)
    answer = sync_calls(
        live_server.url,
        token,
        [
            {
                "device_call_id": "77",
                "number": "+919812345678",
                "type": "missed",
                "started_at": rang.isoformat(),
                "duration_s": 0,
            }
        ],
    )
    assert answer["stored"] == 1, answer

    login(phone, live_server.url, "alice@acme.test", home=False)
    phone.goto(f"{live_server.url}/calls/missed/")
    row = phone.locator("[data-call-back]")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("+91 98123 45678")
    expect(row).to_contain_text("not a lead")
    assert fits(phone)

    # The outcome: no follow-up to plan on a number that is no lead; saved, and shown.
    row.locator("a:has-text('Outcome')").click()
    expect(phone.locator("h1")).to_have_text("Call")
    expect(phone.locator("input[name=follow_up_at]")).to_have_count(0)
    phone.select_option("select[name=outcome]", label="Call back later")
    phone.fill("textarea[name=note]", "Asked about 2 BHK rates")
    assert fits(phone)
    phone.click("button:has-text('Save')")
    expect(phone.locator(".flash")).to_contain_text("Outcome saved")
    assert phone.url.endswith("/calls/missed/")
    row = phone.locator("[data-call-back]")
    expect(row.locator("[data-outcome]")).to_contain_text("Call back later · Asked about 2 BHK rates")
    missed = Call.objects.get()
    assert missed.outcome.name == "Call back later" and missed.note == "Asked about 2 BHK rates"

    # A lead of it: the number filled in, hers, with the call and its call-back.
    row.locator("a:has-text('Create lead')").click()
    number = phone.locator("#lead-number")
    expect(number).to_have_value("+91 98123 45678")
    expect(number).to_have_attribute("type", "tel")
    phone.fill("input[name=name]", "Ravi Verma")
    assert fits(phone)
    phone.click("button:has-text('Create lead')")
    expect(phone.locator(".flash")).to_contain_text("Lead “Ravi Verma” created from the call")
    expect(phone.locator("h1")).to_contain_text("Ravi Verma")
    assert fits(phone)
    lead = Lead.objects.get()
    assert lead.phone == "+919812345678" and lead.owner_id == people.alice.user_id
    assert Call.objects.get().lead_id == lead.pk and CallBack.objects.get().lead_id == lead.pk

    # Still waiting to be returned, now under the lead's name.
    phone.goto(f"{live_server.url}/calls/missed/")
    expect(phone.locator("[data-call-back]")).to_contain_text("Ravi Verma")
    assert fits(phone)
