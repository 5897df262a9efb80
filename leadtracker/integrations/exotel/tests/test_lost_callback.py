"""When Exotel's StatusCallback never comes (Exotel warns it may be delayed or lost): the worker's
per-minute poll asks Exotel's Call details API — a fake on loopback — for each click-to-call
still without a call 15 minutes after it was placed, and stores what it says as one call, as
the callback would have (its RecordingUrl not taken). A call whose callback came is never asked
about; one still going is asked again at the next minute."""

import datetime as dt

import time_machine
from django.utils import timezone

from leadtracker.calls.models import Call, CallStatus, CallVia
from leadtracker.integrations import registry
from leadtracker.integrations.exotel.tests.test_status_callback import _ist, callback
from leadtracker.integrations.models import Connector, Payload
from leadtracker.integrations.tests.util import post_json, work_off


def click(client, lead) -> None:
    assert client.post(f"/integrations/call/{lead.pk}/").status_code == 302


def poll(line) -> int:
    return registry.get("exotel").poll(Connector.objects.get(pk=line.pk))


def test_a_lost_callback_is_fetched_from_the_call_details_api(acme, exotel, line, as_member, new_lead):
    acme.alice.user.phone = "99001 12345"
    acme.alice.user.save()
    lead = new_lead(acme, owner=acme.alice, phone="98765 43210")
    click(as_member(acme.alice), lead)
    (sid,) = Connector.objects.get(pk=line.pk).cursor["placed"]
    assert poll(line) == 0 and exotel.asked == []  # too early: the callback may still come

    started = timezone.now().replace(microsecond=0)
    exotel.details[sid] = {"Status": "in-progress", "StartTime": _ist(started)}
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=16), tick=True):
        assert poll(line) == 0 and len(exotel.asked) == 1  # still going: asked again later
        exotel.details[sid] = {
            "Status": "completed",
            "StartTime": _ist(started),
            "Direction": "outbound-api",
            "From": "+919900112345",
            "To": "+919876543210",
            "Details": {"ConversationDuration": 95},
            "RecordingUrl": "https://recordings.example/rec-lost.mp3",
        }
        assert poll(line) == 1
        assert exotel.asked[-1] == f"/v1/Accounts/acme1/Calls/{sid}.json?details=true"
        work_off()
        assert poll(line) == 0 and len(exotel.asked) == 2  # reported: not asked again
    call = Call.objects.get()
    assert (call.lead_id, call.user_id, call.via) == (lead.pk, acme.alice.user_id, CallVia.CLOUD)
    assert call.status == CallStatus.CONNECTED and call.duration_s == 95 and call.started_at == started
    assert "rec-lost" not in str(list(Payload.objects.values_list("body", flat=True)))


def test_a_call_whose_callback_came_is_never_asked_about(acme, exotel, line, client, as_member, new_lead):
    acme.alice.user.phone = "99001 12345"
    acme.alice.user.save()
    lead = new_lead(acme, owner=acme.alice, phone="98765 43210")
    click(as_member(acme.alice), lead)
    (sid,) = Connector.objects.get(pk=line.pk).cursor["placed"]
    post_json(client, line, callback(f"{acme.alice.user_id}:{lead.pk}", sid=sid))
    work_off()
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=16), tick=True):
        assert poll(line) == 0
    assert exotel.asked == [] and Connector.objects.get(pk=line.pk).cursor["placed"] == {}
    assert Call.objects.count() == 1
