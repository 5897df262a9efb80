"""The outcome sheet of a call from a number that is no lead, on a 360-pixel phone: from Recent
calls, the agent names the caller, taps an outcome and a follow-up chip, and the lead is made in
the same sheet with its status and its one follow-up."""

import datetime as dt

from django.utils import timezone
from playwright.sync_api import expect

from e2e.gates import Gate
from e2e.test_queue import ours
from leadtracker.accounts.audit import Actor
from leadtracker.attendance.models import Shift
from leadtracker.calls import actions
from leadtracker.calls.models import Call, Outcome
from leadtracker.leads.models import FollowUp, Lead


def test_an_unknown_callers_lead_is_made_in_the_sheet(live_server, people, phone, login, sync_calls):
    shift = Shift.objects.create(
        organisation=people.org, user=people.alice.user, started_at=timezone.now() - dt.timedelta(hours=2)
    )
    _code, raw = actions.create_pairing_code(people.alice, actor=Actor.system(), by=None)
    _device, token = actions.pair_device(raw, name="Alice's phone", actor=Actor.system())
    rang = shift.started_at.replace(microsecond=0) + dt.timedelta(minutes=30)
    row = {"device_call_id": "81", "number": "+919812345678", "type": "incoming"}
    answer = sync_calls(live_server.url, token, [row | {"started_at": rang.isoformat(), "duration_s": 75}])
    assert answer["stored"] == 1, answer
    gate = Gate(phone.context, live_server.url)
    gate.watch(phone)
    login(phone, live_server.url, "alice@acme.test", home=False)

    phone.goto(f"{live_server.url}/calls/recent/")
    phone.locator("ul.calls li").first.locator("a:has-text('Outcome')").click()
    expect(phone.locator("h1")).to_have_text("Outcome")
    assert ours(gate.check(phone, phone.url.removeprefix(live_server.url))) == []
    phone.fill("input[name=name]", "Ravi Verma")
    interested = Outcome.objects.get(organisation=people.org, name="Interested")
    phone.click(f"label[for=outcome-{interested.pk}]")
    phone.get_by_role("button", name="Tomorrow, 11 am").click()
    expect(phone.locator(".flash")).to_contain_text("Saved: Interested")
    assert phone.url.endswith("/calls/recent/")

    lead = Lead.objects.get()
    assert lead.name == "Ravi Verma" and lead.phone == "+919812345678"
    assert lead.owner_id == people.alice.user_id and lead.status.name == "Interested"
    assert Call.objects.get().lead_id == lead.pk
    assert FollowUp.objects.open().filter(lead=lead).count() == 1
    expect(phone.locator("ul.calls li").first).to_contain_text("Ravi Verma")
