"""A connector's errors read in the reader's language (issue 20 §3): the worker keeps each as
what to say beside its English words (the record, the API), and the integrations pages render it
when read — the payload log, the connector's last error. A row written before shows as stored."""

from html import unescape

from leadtracker.integrations import health
from leadtracker.integrations.actions import receive_payload
from leadtracker.integrations.models import Connector, Payload
from leadtracker.integrations.tests.util import connector, reads_in_both, work_off
from leadtracker.testing import hindi_client, login_client

NO_PHONE = {"lead_id": "g-1", "user_column_data": [{"column_id": "FULL_NAME", "string_value": "Kavita"}]}


def _text(client, path) -> str:
    return " ".join(unescape(client.get(path).content.decode()).split())


def test_a_failed_payload_reads_in_the_readers_language(acme, api_as):
    hook, _ = connector(acme, "google-ads")
    receive_payload(hook, "g-1", NO_PHONE)
    [payload] = work_off()
    assert payload.status == "failed"
    assert payload.error == "no phone number in the lead"  # the English, for the record and the API
    hook.refresh_from_db()
    assert hook.last_error == "no phone number in the lead"
    english = _text(login_client(acme.adam), f"/settings/integrations/{hook.pk}/")
    assert "Failed: no phone number in the lead" in english
    assert "): no phone number in the lead" in english  # "Last error (…): …"
    hindi = _text(hindi_client(acme.adam), f"/settings/integrations/{hook.pk}/")
    assert "लीड में कोई फ़ोन नंबर नहीं" in hindi and "no phone number" not in hindi
    listed = _text(hindi_client(acme.adam), "/settings/integrations/")
    assert "लीड में कोई फ़ोन नंबर नहीं" in listed and "no phone number" not in listed
    # The API keeps the English words (its `error` is the record, not a message).
    [row] = api_as(acme.adam).get(f"/api/v1/integrations/{hook.pk}/payloads").json()
    assert row["error"] == "no phone number in the lead"


def test_an_error_with_values_keeps_them(acme):
    hook, _ = connector(acme, "webhook", mapping={"phone": "contact.phone", "name": "contact.name"})
    receive_payload(hook, "w-1", {"contact": {"name": "Kavita"}})
    [payload] = work_off()
    assert payload.error == "no phone number at 'contact.phone' (the path mapped to phone)"
    hindi = _text(hindi_client(acme.adam), f"/settings/integrations/{hook.pk}/")
    assert "'contact.phone' पर कोई फ़ोन नंबर नहीं (फ़ोन के लिए यही रास्ता चुना है)" in hindi


def test_errors_written_before_show_as_stored(acme):
    hook, _ = connector(acme, "google-ads")
    Connector.objects.filter(pk=hook.pk).update(last_error="IndiaMART refused the key.")
    Payload.objects.create(
        organisation=acme.org, connector=hook, external_id="old", status="failed", error="an old reason"
    )
    hindi = _text(hindi_client(acme.adam), f"/settings/integrations/{hook.pk}/")
    assert "IndiaMART refused the key." in hindi and "an old reason" in hindi


def test_an_error_without_words_reads_unknown_in_the_readers_language(acme):
    hook, _ = connector(acme, "google-ads")
    health.note_error(hook, "")
    hook.refresh_from_db()
    assert hook.last_error == "unknown error"  # the English, for the record and the API
    reads_in_both(acme, hook, "unknown error", "पता नहीं क्या गड़बड़ हुई")
