"""Twilio behind the same telephony interface as Exotel (issue 19 item 7): click-to-call asks
Twilio's Calls API (a fake on loopback) to ring the agent and dial the lead with the company's
number, never recording; the lead leg's status callback, signed with X-Twilio-Signature,
becomes one call on the lead's timeline. A bad or missing signature is a 403 and stores nothing."""

import base64
import email.utils
import urllib.parse

import pytest
from django.utils import timezone

from leadtracker.calls.models import Call, CallBack, CallStatus, CallVia
from leadtracker.integrations.models import Payload
from leadtracker.integrations.selectors import hook_url
from leadtracker.integrations.telephony.tests.fake_lines import FakeLine
from leadtracker.integrations.tests.util import connector, hook_path, work_off
from leadtracker.integrations.twilio.line import signature

ACCOUNT, TOKEN, NUMBER = "AC0123456789abcdef0123456789abcdef", "twilio-auth-token", "+918047001234"


@pytest.fixture
def line(acme):
    made, _ = connector(acme, "twilio", account_sid=ACCOUNT, auth_token=TOKEN, caller_id=NUMBER)
    return made


def post_signed(client, line, params: dict, *, query: str = "", token: str = TOKEN, sign=True):
    path = hook_path(line) + (f"?{query}" if query else "")
    headers = {"X-Twilio-Signature": signature(token, f"http://testserver{path}", params)} if sign else {}
    return client.post(path, params, headers=headers)


def lead_leg(status="completed", seconds=80, sid="CA0000000000000000000000000000child") -> dict:
    """The lead leg's status callback, as Twilio posts it for <Number statusCallback>."""
    return {
        "AccountSid": ACCOUNT,
        "CallSid": sid,
        "ParentCallSid": "CA00000000000000000000000000parent",
        "CallStatus": status,
        "CallDuration": str(seconds),
        "Direction": "outbound-dial",
        "From": NUMBER,
        "To": "+919876543210",
        "Timestamp": email.utils.format_datetime(timezone.now()),
        "SequenceNumber": "0",
    }


def test_click_to_call_rings_the_agent_and_dials_the_lead_without_recording(
    acme, line, settings, as_member, new_lead
):
    acme.alice.user.phone = "99001 12345"
    acme.alice.user.save()
    lead = new_lead(acme, owner=acme.alice, phone="98765 43210")
    with FakeLine("twilio", account=ACCOUNT, user=ACCOUNT, password=TOKEN) as twilio:
        settings.TWILIO_API_URL = twilio.url
        response = as_member(acme.alice).post(f"/integrations/call/{lead.pk}/")
    assert response.status_code == 302
    (sent,) = twilio.calls
    assert sent["path"] == f"/2010-04-01/Accounts/{ACCOUNT}/Calls.json"
    assert sent["auth"] == "Basic " + base64.b64encode(f"{ACCOUNT}:{TOKEN}".encode()).decode()
    form = twilio.form()
    assert form["To"] == "+919900112345" and form["From"] == NUMBER
    marker = urllib.parse.urlencode({"marker": f"{acme.alice.user_id}:{lead.pk}"})
    assert f'<Dial callerId="{NUMBER}" record="do-not-record">' in form["Twiml"]
    assert f'statusCallback="{hook_url(line)}?{marker}">+919876543210</Number>' in form["Twiml"]


def test_a_signed_lead_leg_report_is_one_call_on_the_timeline(acme, line, client, new_lead):
    lead = new_lead(acme, owner=acme.alice, phone="98765 43210")
    query = urllib.parse.urlencode({"marker": f"{acme.alice.user_id}:{lead.pk}"})
    for _ in range(3):
        answer = post_signed(client, line, lead_leg(), query=query)
        assert answer.status_code == 200 and answer["Content-Type"].startswith("text/xml")
    work_off()
    call = Call.objects.get()
    assert (call.lead_id, call.user_id, call.via) == (lead.pk, acme.alice.user_id, CallVia.CLOUD)
    assert call.status == CallStatus.CONNECTED and call.duration_s == 80
    assert call.device_call_id == "twilio:CA0000000000000000000000000000child"


def test_a_bad_or_missing_signature_is_a_403_and_nothing_is_stored(acme, line, client, new_lead):
    new_lead(acme, owner=acme.alice, phone="98765 43210")
    assert post_signed(client, line, lead_leg(), token="someone-elses-token").status_code == 403
    assert post_signed(client, line, lead_leg(), sign=False).status_code == 403
    # Signed for other parameters than those sent: the duration was changed on the way.
    path = hook_path(line)
    forged = signature(TOKEN, f"http://testserver{path}", lead_leg(seconds=5))
    assert client.post(path, lead_leg(seconds=500), headers={"X-Twilio-Signature": forged}).status_code == 403
    assert Payload.objects.count() == 0 and Call.objects.count() == 0


def test_an_unanswered_incoming_call_opens_a_call_back_for_the_owner(acme, line, client, new_lead):
    lead = new_lead(acme, owner=acme.bob, phone="98765 43210")
    # The number's own status: Twilio took the call (it played the greeting): not a person.
    inbound = {
        "AccountSid": ACCOUNT,
        "CallSid": "CA000000000000000000000000000inbound",
        "CallStatus": "completed",
        "CallDuration": "25",
        "Direction": "inbound",
        "From": "+919876543210",
        "To": NUMBER,
        "Timestamp": email.utils.format_datetime(timezone.now()),
    }
    assert post_signed(client, line, inbound).status_code == 200
    work_off()
    assert Call.objects.count() == 0
    # The <Dial action> report: the agents rung, nobody answered.
    dial = {**inbound, "CallStatus": "in-progress", "DialCallStatus": "no-answer", "DialCallDuration": "0"}
    assert post_signed(client, line, dial).status_code == 200
    work_off()
    call = Call.objects.get()
    assert call.lead_id == lead.pk and call.status == CallStatus.MISSED and call.user_id == acme.bob.user_id
    assert CallBack.objects.get().assignee_id == acme.bob.user_id


def test_the_url_signed_is_the_one_given_to_twilio_whatever_host_the_proxy_passes(
    acme, line, client, settings, new_lead
):
    """Twilio signs the status callback URL we gave it (SITE_URL's): a proxy that passes another
    Host, or plain HTTP behind TLS, does not make a genuine request look forged."""
    settings.SITE_URL = "https://crm.example.in"
    settings.ALLOWED_HOSTS = ["crm.example.in", "10.0.0.5"]
    lead = new_lead(acme, owner=acme.alice, phone="98765 43210")
    query = urllib.parse.urlencode({"marker": f"{acme.alice.user_id}:{lead.pk}"})
    path = f"{hook_path(line)}?{query}"
    signed = signature(TOKEN, f"https://crm.example.in{path}", lead_leg())
    answer = client.post(path, lead_leg(), headers={"X-Twilio-Signature": signed, "Host": "10.0.0.5"})
    assert answer.status_code == 200
    work_off()
    assert Call.objects.get().lead_id == lead.pk
