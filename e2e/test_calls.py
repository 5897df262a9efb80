"""An agent's shift on a 360-pixel phone: punch in with location, a call synced by the phone
shows on "Recent calls", the outcome and next follow-up are recorded, punch out."""

import datetime as dt

from playwright.sync_api import expect

from e2e.conftest import NO_WORKER
from leadtracker.accounts.audit import Actor
from leadtracker.accounts.models import Organisation
from leadtracker.attendance.models import Shift
from leadtracker.calls import actions
from leadtracker.calls.models import Call, Outcome
from leadtracker.leads.actions.leads import LeadData, create_lead
from leadtracker.leads.models import FollowUp

IST = dt.timezone(dt.timedelta(hours=5, minutes=30))


def test_shift_with_a_synced_call_and_its_outcome_on_a_phone(browser, live_server, people, login, sync_calls):
    Organisation.objects.filter(pk=people.org.pk).update(shift_location=True)
    lead, _ = create_lead(
        people.org,
        LeadData(name="Sunita Rao", phones=["98450 12345"], owner_id=people.alice.user_id),
        actor=Actor.system(),
        by=None,
    )
    _code, raw = actions.create_pairing_code(people.alice, actor=Actor.system(), by=None)
    _device, token = actions.pair_device(raw, name="Alice's phone", actor=Actor.system())
    context = browser.new_context(
        service_workers=NO_WORKER,
        viewport={"width": 360, "height": 740},
        geolocation={"latitude": 19.076, "longitude": 72.8777, "accuracy": 20},
        permissions=["geolocation"],
        locale="en-IN",
        timezone_id="Asia/Kolkata",
    )
    context.set_default_timeout(10_000)
    try:
        phone = context.new_page()
        login(phone, live_server.url, "alice@acme.test")
        phone.click("button:has-text('Punch in')")
        expect(phone.locator(".flash")).to_contain_text("Punched in")
        shift = Shift.objects.get(user=people.alice.user, ended_at__isnull=True)
        assert shift.start_lat is not None

        # The phone syncs a call made a second after punching in.
        started = shift.started_at.replace(microsecond=0) + dt.timedelta(seconds=1)
        answer = sync_calls(
            live_server.url,
            token,
            [
                {
                    "device_call_id": "501",
                    "number": "+919845012345",
                    "type": "outgoing",
                    "started_at": started.isoformat(),
                    "duration_s": 95,
                }
            ],
        )
        assert answer["stored"] == 1, answer

        phone.goto(f"{live_server.url}/calls/recent/")
        item = phone.locator("ul.calls li").first
        expect(item).to_contain_text("Sunita Rao")
        expect(item).to_contain_text("Connected")
        expect(item).to_contain_text("1:35")
        assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        item.locator("a:has-text('Outcome')").click()

        # The outcome sheet: the outcome's chip, a note, a time picked rather than a quick chip.
        interested = Outcome.objects.get(organisation=people.org, name="Interested")
        phone.click(f"label[for=outcome-{interested.pk}]")
        phone.fill("textarea[name=note]", "Wants a 2 BHK, site visit Saturday 🙂")
        phone.click("summary:has-text('Pick a date and time')")
        # A month ahead at 11:00 in India: a fixed date would fall out of the window a follow-up
        # may be planned in once the years had passed.
        due = dt.datetime.combine(dt.datetime.now(IST).date() + dt.timedelta(days=30), dt.time(11, 0), IST)
        phone.fill("input[name=follow_up_at]", due.strftime("%Y-%m-%dT%H:%M"))
        phone.select_option("select[name=follow_up_kind]", "visit")
        assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        phone.click("button:has-text('Save with this time')")
        expect(phone.locator(".flash")).to_contain_text("Saved: Interested")
        expect(phone.locator("ul.calls li").first).to_contain_text("Interested")

        call = Call.objects.get()
        assert call.outcome.name == "Interested" and call.note.endswith("🙂")
        follow_up = FollowUp.objects.get(lead=lead)
        assert follow_up.kind == "visit"
        assert follow_up.due_at == due  # read as 11:00 in India

        phone.goto(f"{live_server.url}/")
        phone.click("button:has-text('Punch out')")
        expect(phone.locator(".flash")).to_contain_text("Punched out")
        shift.refresh_from_db()
        assert shift.ended_at is not None
    finally:
        context.close()
