"""No recording, ever (issue 19 item 8): the providers' reports below carry recording links and
ids in every place they can (Exotel's StatusCallback as JSON and as a form, with one per leg;
the Passthru's query; Twilio's status callback and its recording callback), and after the hook
received them and the worker processed them, not one table of the database — every row of
every table, the payload log, the audit log and the queued jobs among them — nor the log output
holds any of it. No request for the recording
goes out either: the fakes would have seen it."""

import base64
import hashlib
import hmac
import json
import logging
import urllib.parse

import pytest
from django.db import connection
from django_tasks_db.models import DBTaskResult

from leadtracker.calls.models import Call
from leadtracker.integrations.models import Payload
from leadtracker.integrations.telephony.tests.fake_lines import FakeLine
from leadtracker.integrations.tests.util import connector, hook_path, post_json, work_off

SECRET = "rec-7f3a9c2e"  # in every recording field below, and nowhere else
EXOTEL_RECORDING = f"https://s3-ap-southeast-1.amazonaws.com/exotelrecordings/acme1/{SECRET}.mp3"
TWILIO_RECORDING = f"https://api.twilio.com/2010-04-01/Accounts/AC1/Recordings/RE{SECRET}"


def twilio_signature(token: str, url: str, params: dict) -> str:
    """Twilio's X-Twilio-Signature, as its documentation writes it out (here rather than from
    twilio/, which imports this package)."""
    text = url + "".join(name + params[name] for name in sorted(params))
    return base64.b64encode(hmac.new(token.encode(), text.encode(), hashlib.sha1).digest()).decode()


def every_row_of_every_table() -> str:
    """The whole database as text: every table the introspection lists, every column."""
    found = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608 — listed names
            found += [f"{table}: {row!r}" for row in cursor.fetchall()]
    return "\n".join(found)


@pytest.fixture
def lines(acme, settings):
    with FakeLine("exotel", account="acme1", user="key1", password="token1") as exotel:
        settings.EXOTEL_API_URL = exotel.url
        made = {
            "exotel": connector(
                acme, "exotel", sid="acme1", api_key="key1", api_token="token1", caller_id="08047091234"
            )[0],
            "twilio": connector(
                acme, "twilio", account_sid="AC1", auth_token="tok", caller_id="+918047001234"
            )[0],
        }
        yield made, exotel


def test_recording_fields_are_dropped_on_arrival_and_found_nowhere(
    acme, lines, client, new_lead, caplog, django_capture_on_commit_callbacks
):
    (made, exotel) = lines
    queued = django_capture_on_commit_callbacks
    caplog.set_level(logging.DEBUG)
    acme.alice.user.phone = "09900112345"
    acme.alice.user.save()
    lead = new_lead(acme, owner=acme.alice, phone="98765 43210")
    marker = f"{acme.alice.user_id}:{lead.pk}"
    ex = made["exotel"]
    status = {
        "CallSid": "c2c-json",
        "EventType": "terminal",
        "Status": "completed",
        "StartTime": "2026-12-06 10:00:00",
        "ConversationDuration": 30,
        "Direction": "outbound-api",
        "From": "+919900112345",
        "To": "+919876543210",
        "CustomField": marker,
        "RecordingUrl": EXOTEL_RECORDING,
        "RecordingAvailableBy": f"{SECRET}-available",
        "Legs": [{"OnCallDuration": 40, "Status": "completed", "RecordingUrl": EXOTEL_RECORDING}],
    }
    # Each delivery's queued job is written as the hook's commit would (its row is searched too).
    with queued(execute=True):
        assert post_json(client, ex, status).status_code == 200
    form = {**status, "CallSid": "c2c-form", "StartTime": "2026-12-06 10:05:00", "Legs": None}
    form["Legs[0][RecordingUrl]"] = EXOTEL_RECORDING
    form = {k: v for k, v in form.items() if v is not None}
    with queued(execute=True):
        assert client.post(hook_path(ex), form).status_code == 200
    passthru = {
        "CallSid": "in-passthru",
        "CallFrom": "09876543210",
        "Direction": "incoming",
        "DialCallStatus": "completed",
        "DialCallDuration": "20",
        "StartTime": "2026-12-06 11:00:00",
        "RecordingUrl": EXOTEL_RECORDING,
    }
    with queued(execute=True):
        assert client.get(hook_path(ex), passthru).status_code == 200
    tw = made["twilio"]
    twilio = {
        "CallSid": "CAtwilio",
        "CallStatus": "completed",
        "CallDuration": "15",
        "Direction": "outbound-dial",
        "To": "+919876543210",
        "RecordingUrl": TWILIO_RECORDING,
        "RecordingSid": f"RE{SECRET}",
        "RecordingDuration": "15",
    }
    query = urllib.parse.urlencode({"marker": marker})
    path = f"{hook_path(tw)}?{query}"
    signed = twilio_signature("tok", f"http://testserver{path}", twilio)
    with queued(execute=True):
        assert client.post(path, twilio, headers={"X-Twilio-Signature": signed}).status_code == 200
    # Twilio's recording status callback: nothing but the recording, and its call's id.
    recording = {"AccountSid": "AC1", "CallSid": "CAtwilio", "RecordingSid": f"RE{SECRET}"}
    recording |= {"RecordingUrl": TWILIO_RECORDING, "RecordingStatus": "completed"}
    signed = twilio_signature("tok", f"http://testserver{hook_path(tw)}", recording)
    with queued(execute=True):
        answer = client.post(hook_path(tw), recording, headers={"X-Twilio-Signature": signed})
    assert answer.status_code == 200

    assert DBTaskResult.objects.count() == 5
    processed = work_off()

    assert [p.status for p in processed] == ["done"] * 5
    assert Call.objects.count() == 4  # the calls are all there: only the recordings are not
    for payload in Payload.objects.all():
        assert "recording" not in json.dumps(payload.body).lower()
    everything = every_row_of_every_table()
    assert SECRET not in everything and "exotelrecordings" not in everything
    assert SECRET not in caplog.text
    assert exotel.calls == []  # nothing asked of the provider, let alone a recording
