"""No recording, ever: every key naming a recording is dropped, at any depth and in any case,
before a payload is stored; the helper others call, and through a real hook."""

from leadtracker.integrations.actions import receive_payload
from leadtracker.integrations.models import Payload
from leadtracker.integrations.scrub import without_recordings
from leadtracker.integrations.tests.util import connector


def test_keys_naming_a_recording_are_dropped_at_any_depth():
    body = {
        "CallSid": "c1",
        "RecordingUrl": "https://example.com/r.mp3",
        "Legs": [{"recording_sid": "r1", "Duration": 30}, {"Recording": {"Url": "x"}, "Status": "ok"}],
        "details": {"RECORDINGDURATION": 12, "keep": ["recordingUrl", {"TheRecordingPath": "/a"}]},
    }
    assert without_recordings(body) == {
        "CallSid": "c1",
        "Legs": [{"Duration": 30}, {"Status": "ok"}],
        # A value that mentions the word is a value, not a recording field: kept.
        "details": {"keep": ["recordingUrl", {}]},
    }
    assert body["RecordingUrl"]  # the caller's value is left as it was


def test_a_received_payload_never_stores_a_recording_field(acme):
    hook, _ = connector(acme, "google-ads")
    payload, created = receive_payload(
        hook, "x1", {"lead_id": "x1", "RecordingUrl": "https://r", "a": {"recording": 1}}
    )
    assert created
    stored = Payload.objects.get(pk=payload.pk).body
    assert stored == {"lead_id": "x1", "a": {}}
    assert "recording" not in str(stored).lower()
