"""Exotel's reports through the connector's real URL (issue 19 item 6): the StatusCallback of a
click-to-call becomes ONE call on the lead's timeline, via telephony, with its duration — sent
three times, still one; a later report of the same CallSid updates it. It feeds the missed-call
loop and the roll-ups as a synced call does, and is stored whether or not the agent is on shift.
A wrong token is a 404 and stores nothing."""

import datetime as dt
import json

from django.utils import timezone

from leadtracker.attendance.models import Shift
from leadtracker.calls.models import Call, CallBack, CallStatus, CallVia
from leadtracker.integrations.models import Payload
from leadtracker.integrations.tests.util import hook_path, post_json, work_off
from leadtracker.reports.models import UserDay


def ago(minutes: int) -> dt.datetime:
    return timezone.now().replace(microsecond=0) - dt.timedelta(minutes=minutes)


def _ist(minutes_ago: int | dt.datetime) -> str:
    """A time as Exotel writes it: India time, no zone."""
    moment = ago(minutes_ago) if isinstance(minutes_ago, int) else minutes_ago
    return moment.astimezone(dt.timezone(dt.timedelta(hours=5, minutes=30))).strftime("%Y-%m-%d %H:%M:%S")


def callback(marker: str, *, sid="c2c0001", status="completed", seconds=95, minutes_ago=5, **extra) -> dict:
    """A click-to-call's StatusCallback in Exotel's documented shape (terminal event, JSON)."""
    start = extra.pop("start", None) or ago(minutes_ago)
    return {
        "CallSid": sid,
        "EventType": "terminal",
        "Status": status,
        "DateCreated": _ist(minutes_ago + 1),
        "DateUpdated": _ist(minutes_ago - 2),
        "StartTime": _ist(start),
        "EndTime": _ist(minutes_ago - 2),
        "ConversationDuration": seconds,
        "Direction": "outbound-api",
        "From": "+919900112345",
        "To": "+919876543210",
        "PhoneNumberSid": "08047091234",
        "CustomField": marker,
        "Legs": [
            {"OnCallDuration": seconds + 12, "Status": "completed", "AnsweredBy": "human"},
            {"OnCallDuration": seconds, "Status": status, "AnsweredBy": "human"},
        ],
        **extra,
    }


def test_a_click_to_calls_callback_is_one_call_on_the_leads_timeline(acme, line, client, as_member, new_lead):
    lead = new_lead(acme, owner=acme.alice, name="Asha Sharma", phone="98765 43210")
    start = ago(5)
    body = callback(f"{acme.alice.user_id}:{lead.pk}", start=start)

    answer = post_json(client, line, body)

    assert answer.status_code == 200
    work_off()
    call = Call.objects.get()
    assert call.lead_id == lead.pk and call.user_id == acme.alice.user_id
    assert call.via == CallVia.CLOUD and call.device_id is None
    assert call.direction == "out" and call.status == CallStatus.CONNECTED and call.duration_s == 95
    assert call.number == "+919876543210" and call.device_call_id == "exotel:c2c0001"
    assert call.started_at == start  # India time read as such
    lead.refresh_from_db()
    assert lead.last_contacted_at == call.started_at
    page = as_member(acme.alice).get(f"/leads/{lead.pk}/").content.decode()
    assert "(via telephony)" in page and "1:35" in page  # |duration
    # Stored although Alice had not punched in: the company's line is not her personal phone's log.
    assert not Shift.objects.filter(user_id=acme.alice.user_id).exists()
    # The roll-ups count it as they count a synced call.
    day = UserDay.objects.get(user_id=acme.alice.user_id)
    assert (day.calls, day.connected, day.calls_out, day.talk_seconds, day.unique_leads) == (1, 1, 1, 95, 1)


def test_the_same_callback_three_times_is_one_call(acme, line, client, new_lead):
    lead = new_lead(acme, owner=acme.alice)
    body = callback(f"{acme.alice.user_id}:{lead.pk}")
    for _ in range(3):
        assert post_json(client, line, body).status_code == 200
        work_off()
    assert Call.objects.count() == 1
    assert Payload.objects.count() == 1  # the retries are the first delivery


def test_a_later_report_for_the_same_call_updates_it_never_doubles_it(acme, line, client, new_lead):
    lead = new_lead(acme, owner=acme.alice)
    marker = f"{acme.alice.user_id}:{lead.pk}"
    answered = callback(marker, EventType="answered", seconds=0)
    post_json(client, line, answered)
    work_off()
    assert Call.objects.get().status == CallStatus.CONNECTED
    post_json(client, line, callback(marker, seconds=240))
    work_off()
    call = Call.objects.get()
    assert call.duration_s == 240 and call.status == CallStatus.CONNECTED


def test_a_lead_who_did_not_answer_is_a_call_not_connected(acme, line, client, new_lead):
    lead = new_lead(acme, owner=acme.alice)
    post_json(client, line, callback(f"{acme.alice.user_id}:{lead.pk}", status="no-answer", seconds=0))
    work_off()
    call = Call.objects.get()
    assert call.status == CallStatus.NOT_CONNECTED and call.duration_s == 0


def test_a_connected_click_to_call_returns_the_leads_missed_call(acme, line, client, new_lead):
    lead = new_lead(acme, owner=acme.alice, phone="98765 43210")
    now = ago(0)  # one reading of the clock for both times: the wait is exact
    passthru = {
        "CallSid": "in0001",
        "CallFrom": "09876543210",
        "CallTo": "08047091234",
        "Direction": "incoming",
        "DialCallStatus": "no-answer",
        "StartTime": _ist(now - dt.timedelta(minutes=30)),
    }
    client.get(hook_path(line), passthru)
    post_json(client, line, callback(f"{acme.alice.user_id}:{lead.pk}", start=now - dt.timedelta(minutes=10)))
    work_off()
    cb = CallBack.objects.get()
    assert cb.closed_at is not None and cb.seconds_to_return == 20 * 60


def test_a_wrong_token_is_a_404_and_stores_nothing(acme, line, client, new_lead):
    lead = new_lead(acme, owner=acme.alice)
    body = json.dumps(callback(f"{acme.alice.user_id}:{lead.pk}"))
    answer = client.post("/integrations/hook/not-the-token", body, content_type="application/json")
    assert answer.status_code == 404
    assert client.post(hook_path(line)[:-3] + "xyz", body, content_type="application/json").status_code == 404
    assert Payload.objects.count() == 0 and Call.objects.count() == 0


def test_a_report_without_a_call_id_is_logged_as_failed_with_the_reason(acme, line, client):
    post_json(client, line, {"Status": "completed"})
    (payload,) = work_off()
    assert payload.status == "failed" and "CallSid" in payload.error
    assert Call.objects.count() == 0


def test_a_body_that_is_not_json_is_logged_as_failed_without_its_text(acme, line, client):
    text = b'{"CallSid": "c2c", "RecordingUrl": "https://rec.example/rec-1.mp3"'  # cut short
    answer = client.post(hook_path(line), text, content_type="application/json")
    assert answer.status_code == 400
    payload = Payload.objects.get()
    assert payload.status == "failed" and "neither a form nor a JSON object" in payload.error
    assert payload.body == {} and Call.objects.count() == 0
