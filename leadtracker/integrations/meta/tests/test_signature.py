"""Every POST from Meta is signed (X-Hub-Signature-256, HMAC-SHA256 of the raw body with the
app secret): a bad or missing signature is 403 and nothing is stored."""

from leadtracker.integrations.meta.tests.deliveries import delivery, send, signature
from leadtracker.integrations.models import Payload
from leadtracker.integrations.tests.util import reads_in_both


def test_a_signed_delivery_is_stored_and_answered_at_once(client, facebook, graph):
    raw = delivery("lg-1", "lg-2")
    response = send(client, facebook, raw)
    assert response.status_code == 200
    assert sorted(Payload.objects.values_list("external_id", flat=True)) == ["lg-1", "lg-2"]
    assert graph.requests == []  # the Graph API is the worker's business, not the webhook's


def test_a_bad_or_missing_signature_is_403_and_nothing_is_stored(client, facebook):
    raw = delivery("lg-1")
    assert send(client, facebook, raw, sign=signature(raw, "another-secret")).status_code == 403
    assert send(client, facebook, raw, sign="").status_code == 403
    assert send(client, facebook, raw, sign="sha1=" + signature(raw)[7:]).status_code == 403
    # Signed, then changed on the way: the signature no longer matches.
    assert send(client, facebook, raw.replace(b"lg-1", b"lg-9"), sign=signature(raw)).status_code == 403
    assert not Payload.objects.exists()


def test_a_signed_delivery_without_leads_is_kept_as_failed_and_answered_200(acme, client, facebook):
    raw = b'{"object": "page", "entry": []}'
    assert send(client, facebook, raw).status_code == 200
    payload = Payload.objects.get()
    assert payload.status == "failed"
    assert payload.error == "a delivery without leadgen changes (entry[].changes[].value)"  # the record
    # The payload log and the last error in each reader's language (issue 20 §3).
    reads_in_both(acme, facebook, "a delivery without leadgen changes", "ऐसा डेटा आया जिसमें लीड नहीं है")
    facebook.refresh_from_db()
    assert facebook.last_error == payload.error


def test_an_unknown_or_disabled_hook_is_404(client, facebook):
    raw = delivery("lg-1")
    facebook.is_active = False
    facebook.save()
    assert send(client, facebook, raw).status_code == 404
    response = client.post("/integrations/hook/not-a-token", raw, content_type="application/json")
    assert response.status_code == 404
    assert not Payload.objects.exists()
