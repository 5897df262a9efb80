"""An incoming call to the ExoPhone that nobody answered (issue 19 item 6), reported by the
Passthru applet after the flow's Connect applet (a GET with CallFrom, DialCallStatus,
DialWhomNumber): a missed call on the lead's timeline and a call-back for the lead's owner, or
for the agent the flow rang when the lead has none. A number that is no lead becomes a lead of
the line's source (the company's line is published for customers; nobody's personal calls go
through it), so the call-back has someone to go to and the caller is not lost."""

import datetime as dt

from django.utils import timezone

from leadtracker.calls.models import Call, CallBack, CallStatus, CallType, CallVia
from leadtracker.integrations.exotel.tests.conftest import EXOPHONE
from leadtracker.integrations.tests.util import hook_path, work_off
from leadtracker.leads.models import Lead


def passthru(caller: str, *, status="no-answer", rang="", seconds=0, sid="in0001") -> dict:
    india = dt.timezone(dt.timedelta(hours=5, minutes=30))
    start = timezone.now().astimezone(india) - dt.timedelta(minutes=3)
    return {
        "CallSid": sid,
        "CallFrom": caller,
        "CallTo": EXOPHONE,
        "Direction": "incoming",
        "DialCallStatus": status,
        "DialWhomNumber": rang,
        "DialCallDuration": str(seconds),
        "CallType": "completed" if status == "completed" else "incomplete",
        "StartTime": start.strftime("%Y-%m-%d %H:%M:%S"),
        "CurrentTime": timezone.now().strftime("%Y-%m-%d %H:%M:%S"),
        "EndTime": "1970-01-01 05:30:00",
    }


def test_a_missed_call_from_a_lead_opens_a_call_back_for_its_owner(acme, line, client, new_lead):
    acme.alice.user.phone = "+91 99001 12345"
    acme.alice.user.save()
    lead = new_lead(acme, owner=acme.bob, phone="98765 43210")

    answer = client.get(hook_path(line), passthru("09876543210", rang="09900112345"))

    assert answer.status_code == 200
    work_off()
    call = Call.objects.get()
    assert (call.lead_id, call.via) == (lead.pk, CallVia.CLOUD)
    assert (call.type, call.status) == (CallType.MISSED, CallStatus.MISSED)
    assert call.user_id == acme.alice.user_id  # the phone the flow rang
    cb = CallBack.objects.get()
    assert cb.lead_id == lead.pk and cb.assignee_id == acme.bob.user_id and cb.closed_at is None


def test_a_lead_nobody_owns_goes_to_the_agent_the_flow_rang(acme, line, client, new_lead):
    acme.alice.user.phone = "09900112345"
    acme.alice.user.save()
    lead = new_lead(acme, phone="98765 43210")
    client.get(hook_path(line), passthru("+919876543210", status="busy", rang="+919900112345"))
    work_off()
    cb = CallBack.objects.get()
    assert cb.lead_id == lead.pk and cb.assignee_id == acme.alice.user_id


def test_an_unknown_number_becomes_a_lead_of_the_lines_source_with_its_call_back(acme, line, client):
    acme.alice.user.phone = "09900112345"
    acme.alice.user.save()
    client.get(hook_path(line), passthru("09123456780", rang="09900112345"))
    work_off()
    lead = Lead.objects.get()
    assert lead.phone == "+919123456780" and lead.source.name == "Exotel"
    cb = CallBack.objects.get()
    assert cb.lead_id == lead.pk and cb.assignee_id == (lead.owner_id or acme.alice.user_id)
    assert Call.objects.get().lead_id == lead.pk


def test_an_answered_incoming_call_is_a_conversation_and_opens_nothing(acme, line, client, new_lead):
    acme.alice.user.phone = "09900112345"
    acme.alice.user.save()
    lead = new_lead(acme, owner=acme.alice, phone="98765 43210")
    client.get(hook_path(line), passthru("09876543210", status="completed", rang="09900112345", seconds=62))
    work_off()
    call = Call.objects.get()
    assert call.lead_id == lead.pk and call.status == CallStatus.ANSWERED and call.duration_s == 62
    assert CallBack.objects.count() == 0


def test_a_flow_that_sends_only_its_call_type_is_read_too(acme, line, client, new_lead):
    lead = new_lead(acme, owner=acme.alice, phone="98765 43210")
    answered = passthru("09876543210", sid="in-ct-1", seconds=40)
    del answered["DialCallStatus"]
    answered["CallType"] = "completed"
    missed = passthru("09876543210", sid="in-ct-2")
    del missed["DialCallStatus"]  # CallType "incomplete": nobody picked up
    client.get(hook_path(line), answered)
    client.get(hook_path(line), missed)
    work_off()
    calls = {c.device_call_id: c for c in Call.objects.filter(lead=lead)}
    assert calls["exotel:in-ct-1"].status == CallStatus.ANSWERED and calls["exotel:in-ct-1"].duration_s == 40
    assert calls["exotel:in-ct-2"].status == CallStatus.MISSED
