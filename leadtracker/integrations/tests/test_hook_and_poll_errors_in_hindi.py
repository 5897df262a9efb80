"""The last connector errors that were English words only (issue 20 §3): a body a hook could not
read, an error a poller raised, the fields a push lacks and a mapping's bad path are kept as
what to say, and the connector's page shows them in its reader's language (English kept as the
record). Facebook's delivery without a lead: meta/tests/test_signature.py; a mapping refused
at saving: webhook/tests/test_mapping_refused_in_hindi.py."""

import datetime as dt
import socket

import time_machine
from django.utils import timezone, translation

from leadtracker.accounts.audit import Actor
from leadtracker.integrations.actions import receive_payload, update_connector
from leadtracker.integrations.models import Connector, Payload
from leadtracker.integrations.tasks import poll_connectors
from leadtracker.integrations.tests.util import connector, hook_path, reads_in_both, work_off
from leadtracker.lib.stored_text import shown


def test_a_body_exotel_sent_unreadable_reads_in_hindi(acme, client):
    line, _ = connector(
        acme, "exotel", sid="acme1", api_key="key1", api_token="token1", caller_id="08047112233"
    )
    answer = client.post(hook_path(line), b'{"CallSid": "c2c"', content_type="application/json")
    assert answer.status_code == 400
    payload = Payload.objects.get()
    assert payload.error == "Exotel sent neither a form nor a JSON object"  # the record, in English
    assert Connector.objects.get(pk=line.pk).last_error == payload.error
    reads_in_both(
        acme, line, "Exotel sent neither a form nor a JSON object", "Exotel ने न फ़ॉर्म भेजा, न JSON object"
    )


def _closed_port() -> str:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{sock.getsockname()[1]}"


def test_a_poller_out_of_reach_reads_in_hindi(acme, settings):
    settings.EXOTEL_API_URL = _closed_port()  # nothing listens there: Exotel cannot be reached
    line, _ = connector(
        acme, "exotel", sid="acme1", api_key="key1", api_token="token1", caller_id="08047112233"
    )
    # A click-to-call placed 16 minutes before, its callback never come (telephony/fallback.py).
    placed = {"sid-lost": [timezone.now().isoformat(), "1:1"]}
    Connector.objects.filter(pk=line.pk).update(cursor={"placed": placed})
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=16), tick=True):
        poll_connectors.call()
    line.refresh_from_db()
    assert line.last_error == "Exotel could not be reached; try again in a minute"
    reads_in_both(acme, line, "Exotel could not be reached", "Exotel तक नहीं पहुँच सके; एक मिनट में फिर कोशिश करें")


def test_secrets_sealed_with_another_key_read_in_hindi(acme, settings):
    made, _ = connector(acme, "indiamart", key="a-crm-key")
    settings.LEADTRACKER_SECRETS_KEY = "7mQbLk4x1rXxWbJ0cV3s0cQm5a9m8y6t2mB3nX4pZ9k="  # the key was changed
    poll_connectors.call()
    made.refresh_from_db()
    assert made.last_error == "the connector's secrets were sealed with another key; enter them again"
    reads_in_both(acme, made, "sealed with another key", "कनेक्टर की गुप्त चाबियाँ किसी और key से बंद हैं")
    # The page opened (above) with the key "not set"; entering it again seals it with today's key.
    update_connector(made, actor=Actor.for_user(acme.adam.user), options={"key": "a-new-crm-key"})
    assert Connector.objects.get(pk=made.pk).secrets == {"key": "a-new-crm-key"}


def test_a_push_without_a_number_reads_in_hindi(acme):
    justdial, _ = connector(acme, "justdial")
    receive_payload(justdial, "jd-1", {"leadid": "jd-1", "name": "Ravi"})
    indiamart, _ = connector(acme, "indiamart")
    receive_payload(indiamart, "im-1", {"CODE": 200, "RESPONSE": {"UNIQUE_QUERY_ID": "im-1"}})
    assert [p.error for p in work_off()] == [
        "mobile is missing: no number to call",
        "SENDER_MOBILE is missing: no number to call",
    ]
    reads_in_both(acme, justdial, "mobile is missing: no number to call", "mobile नहीं है: कॉल करने को नंबर नहीं")
    reads_in_both(acme, indiamart, "SENDER_MOBILE is missing", "SENDER_MOBILE नहीं है: कॉल करने को नंबर नहीं")


def test_a_path_to_an_object_names_the_field_in_hindi(acme):
    hook, _ = connector(acme, "webhook", mapping={"phone": "phone", "name": "contact"})
    receive_payload(hook, "w-1", {"phone": "98765 43210", "contact": {"first": "Kavita"}})
    [payload] = work_off()
    assert (
        payload.error
        == "name (contact): points to an object or a list, not to a value; name a key further in"
    )
    reads_in_both(
        acme, hook, "name (contact): points to an object", "name (contact): यह किसी ऑब्जेक्ट या लिस्ट पर जाता है"
    )


def test_custom_values_left_out_keep_their_words_for_each_reader(acme):
    hook, _ = connector(
        acme, "webhook", mapping={"phone": "phone", "fields.budget": "budget", "fields.bhk": "b"}
    )
    receive_payload(hook, "w-2", {"phone": "98765 43210", "budget": "lots", "b": "2"})
    [payload] = work_off()
    assert payload.status == "done"
    # Each left out with its reason, joined (in the order the stored mapping gives: PostgreSQL's
    # JSON sorts its keys).
    english = ["fields.budget: no such field", "fields.bhk: no such field"]
    assert payload.error.startswith("Made without ")
    assert sorted(payload.error.removeprefix("Made without ").split("; ")) == sorted(english)
    with translation.override("hi"):
        hindi = shown(payload.error_said, payload.error)
    assert hindi.startswith("लीड बनी, पर इनके बिना: ")
    parts = hindi.removeprefix("लीड बनी, पर इनके बिना: ").split("; ")
    assert sorted(parts) == ["fields.bhk: ऐसा कोई फ़ील्ड नहीं", "fields.budget: ऐसा कोई फ़ील्ड नहीं"]


def test_a_body_that_could_not_be_read_says_why_in_hindi(acme, client):
    hook, secrets = connector(acme, "webhook")
    answer = client.post(
        hook_path(hook),
        b"hello",
        content_type="text/plain",
        headers={"X-LeadTracker-Secret": secrets["secret"]},
    )
    assert answer.status_code == 200
    [payload] = work_off()
    english = "the body could not be read: a body of type text/plain is neither JSON nor a form"
    assert payload.error == english
    hindi = "भेजा गया डेटा पढ़ा नहीं जा सका: text/plain तरह का डेटा न JSON है, न फ़ॉर्म"
    reads_in_both(acme, hook, english, hindi)
