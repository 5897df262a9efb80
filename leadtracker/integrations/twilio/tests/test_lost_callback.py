"""When the lead leg's status callback never comes: 15 minutes after a click-to-call, the
worker's per-minute poll asks Twilio's Calls API (a fake on loopback) for the call placed, then
for its child (the lead's leg), and stores what it says as the callback would have. A call the
agent never picked up (no child) is over with no call stored, as with callbacks; a call whose
callback came is never asked about; one still going is asked again the next minute."""

import datetime as dt
import email.utils
import urllib.parse

import pytest
import time_machine
from django.utils import timezone

from leadtracker.calls.models import Call, CallStatus, CallVia
from leadtracker.integrations import registry
from leadtracker.integrations.models import Connector, Payload
from leadtracker.integrations.telephony.tests.fake_lines import FakeLine
from leadtracker.integrations.tests.util import work_off
from leadtracker.integrations.twilio.tests.test_twilio_line import ACCOUNT, TOKEN, lead_leg, line, post_signed

__all__ = ["line"]  # the fixture, shared


@pytest.fixture
def twilio(settings):
    with FakeLine("twilio", account=ACCOUNT, user=ACCOUNT, password=TOKEN) as fake:
        settings.TWILIO_API_URL = fake.url
        yield fake


def placed(acme, line, as_member, new_lead):
    """Alice clicks "Call via Twilio" on her lead; the lead and the call id placed."""
    acme.alice.user.phone = "99001 12345"
    acme.alice.user.save()
    lead = new_lead(acme, owner=acme.alice, phone="98765 43210")
    assert as_member(acme.alice).post(f"/integrations/call/{lead.pk}/").status_code == 302
    (sid,) = Connector.objects.get(pk=line.pk).cursor["placed"]
    return lead, sid


def poll(line) -> int:
    return registry.get("twilio").poll(Connector.objects.get(pk=line.pk))


def later(minutes=16):
    return time_machine.travel(timezone.now() + dt.timedelta(minutes=minutes), tick=True)


def test_a_lost_callback_is_asked_of_the_calls_api_and_stored_once(acme, twilio, line, as_member, new_lead):
    lead, sid = placed(acme, line, as_member, new_lead)
    assert poll(line) == 0 and twilio.asked == []  # too early: the callback may still come

    ended = timezone.now().replace(microsecond=0)
    twilio.details[sid] = {"status": "in-progress", "to": "+919900112345", "direction": "outbound-api"}
    with later():
        assert poll(line) == 0 and len(twilio.asked) == 1  # still going: asked again later
        twilio.details[sid]["status"] = "completed"
        twilio.details["CAchild"] = {
            "parent_call_sid": sid,
            "status": "completed",
            "duration": "95",
            "direction": "outbound-dial",
            "from": "+918047001234",
            "to": "+919876543210",
            "end_time": email.utils.format_datetime(ended),
            "subresource_uris": {
                "recordings": f"/2010-04-01/Accounts/{ACCOUNT}/Calls/CAchild/Recordings.json"
            },
        }
        assert poll(line) == 1
        children = urllib.parse.urlencode({"ParentCallSid": sid})
        assert twilio.asked[-2:] == [
            f"/2010-04-01/Accounts/{ACCOUNT}/Calls/{sid}.json",
            f"/2010-04-01/Accounts/{ACCOUNT}/Calls.json?{children}",
        ]
        work_off()
        asked = len(twilio.asked)
        assert poll(line) == 0 and len(twilio.asked) == asked  # stored: not asked again
        assert Connector.objects.get(pk=line.pk).cursor["placed"] == {}
    call = Call.objects.get()
    assert (call.lead_id, call.user_id, call.via) == (lead.pk, acme.alice.user_id, CallVia.CLOUD)
    assert call.status == CallStatus.CONNECTED and call.duration_s == 95
    assert call.started_at == ended - dt.timedelta(seconds=95) and call.device_call_id == "twilio:CAchild"
    assert "Recordings" not in str(list(Payload.objects.values_list("body", flat=True)))


def test_a_call_the_agent_never_picked_up_is_over_with_no_call(acme, twilio, line, as_member, new_lead):
    _, sid = placed(acme, line, as_member, new_lead)
    twilio.details[sid] = {"status": "no-answer", "to": "+919900112345", "direction": "outbound-api"}
    with later():
        assert poll(line) == 0 and len(twilio.asked) == 2  # the call, then its (no) children
        assert Connector.objects.get(pk=line.pk).cursor["placed"] == {}
    with later(20):
        assert poll(line) == 0 and len(twilio.asked) == 2  # forgotten: never asked again
    assert not Call.objects.exists() and not Payload.objects.exists()


def test_a_call_whose_callback_came_is_never_asked_about(acme, twilio, line, client, as_member, new_lead):
    lead, sid = placed(acme, line, as_member, new_lead)
    query = urllib.parse.urlencode({"marker": f"{acme.alice.user_id}:{lead.pk}"})
    leg = {**lead_leg(sid="CAchild"), "ParentCallSid": sid}
    assert post_signed(client, line, leg, query=query).status_code == 200
    work_off()
    with later():
        assert poll(line) == 0 and twilio.asked == []
        assert Connector.objects.get(pk=line.pk).cursor["placed"] == {}
    assert Call.objects.get().device_call_id == "twilio:CAchild"


def test_a_callback_that_comes_after_the_fetch_is_no_second_payload(
    acme, twilio, line, client, as_member, new_lead
):
    lead, sid = placed(acme, line, as_member, new_lead)
    twilio.details[sid] = {"status": "completed", "to": "+919900112345"}
    leg = {**lead_leg(sid="CAchild", seconds=40), "ParentCallSid": sid}
    twilio.details["CAchild"] = {
        "parent_call_sid": sid,
        "status": "completed",
        "duration": "40",
        "to": "+919876543210",
        "end_time": leg["Timestamp"],
    }
    with later():
        assert poll(line) == 1
        work_off()
        query = urllib.parse.urlencode({"marker": f"{acme.alice.user_id}:{lead.pk}"})
        assert post_signed(client, line, leg, query=query).status_code == 200  # late, after all
    assert Payload.objects.count() == 1 and Call.objects.get().duration_s == 40
