"""Google Ads lead form webhook: the google_key must be the connector's key (else 403, nothing
stored); test leads are accepted and tagged; the same lead_id is stored once."""

import pytest

from leadtracker.integrations.models import Payload
from leadtracker.integrations.tests.util import connector, post_json, work_off
from leadtracker.leads.models import Lead, LeadTag


def lead_body(
    key: str, lead_id: str = "TeSter-123-ABCDEFGHIJKLMNOPQRSTUVWXYZ", is_test: bool = False
) -> dict:
    """As Google's documentation shows a delivery (column ids FULL_NAME, PHONE_NUMBER, …)."""
    return {
        "lead_id": lead_id,
        "api_version": "1.0",
        "form_id": 40000000000,
        "campaign_id": 20000000000,
        "google_key": key,
        "is_test": is_test,
        "gcl_id": "TeSter-123-gclid",
        "adgroup_id": 30000000000,
        "creative_id": 50000000000,
        "user_column_data": [
            {"column_name": "Full Name", "string_value": "Kavita Nair", "column_id": "FULL_NAME"},
            {"column_name": "User Phone", "string_value": "+91 98765 11122", "column_id": "PHONE_NUMBER"},
            {"column_name": "User Email", "string_value": "kavita@example.in", "column_id": "EMAIL"},
            {"column_name": "City", "string_value": "Kochi", "column_id": "CITY"},
            {"column_name": "Budget", "string_value": "40-60 lakh", "column_id": "budget_question"},
        ],
    }


@pytest.fixture
def google(acme):
    made, generated = connector(acme, "google-ads")
    return made, generated["key"]


def test_a_lead_with_the_right_key_becomes_a_lead(client, google, acme):
    hook, key = google
    assert post_json(client, hook, lead_body(key)).status_code == 200
    payload = Payload.objects.get()
    assert "google_key" not in payload.body  # the key proved the sender; it is not kept
    [payload] = work_off()
    lead = Lead.objects.get(pk=payload.lead_id)
    assert (lead.name, lead.phone, lead.email, lead.city) == (
        "Kavita Nair",
        "+919876511122",
        "kavita@example.in",
        "Kochi",
    )
    assert lead.source.name == "Google Ads lead forms"
    assert lead.extra["attribution"] == "Google Ads: form 40000000000, campaign 20000000000"
    assert not LeadTag.objects.filter(lead=lead).exists()


def test_a_hindi_organisations_lead_opens_its_note_in_hindi(client, google, acme):
    # The attribution is the first line of the lead's note: words in the organisation's language.
    acme.org.language = "hi"
    acme.org.save(update_fields=["language"])
    hook, key = google
    assert post_json(client, hook, lead_body(key)).status_code == 200
    [payload] = work_off()
    lead = Lead.objects.get(pk=payload.lead_id)
    assert lead.extra["attribution"] == "Google Ads: फ़ॉर्म 40000000000, कैंपेन 20000000000"
    without = {k: v for k, v in lead_body(key, lead_id="two").items() if k != "campaign_id"}
    without["user_column_data"] = [{"string_value": "+91 98765 33344", "column_id": "PHONE_NUMBER"}]
    assert post_json(client, hook, without).status_code == 200
    [payload] = work_off()
    assert Lead.objects.get(pk=payload.lead_id).extra["attribution"] == "Google Ads: फ़ॉर्म 40000000000"


def test_a_wrong_or_missing_key_is_403_and_nothing_is_stored(client, google):
    hook, key = google
    assert post_json(client, hook, lead_body(key + "x")).status_code == 403
    body = lead_body(key)
    del body["google_key"]
    assert post_json(client, hook, body).status_code == 403
    assert not Payload.objects.exists()


def test_a_test_lead_is_kept_and_tagged(client, google):
    hook, key = google
    assert post_json(client, hook, lead_body(key, is_test=True)).status_code == 200
    [payload] = work_off()
    assert payload.is_test
    assert list(LeadTag.objects.filter(lead_id=payload.lead_id).values_list("tag__name", flat=True)) == [
        "test lead"
    ]


def test_the_same_lead_id_five_times_is_one_lead(client, google, acme):
    hook, key = google
    for _ in range(5):
        assert post_json(client, hook, lead_body(key, lead_id="same-1")).status_code == 200
    work_off()
    assert Payload.objects.count() == 1 and Lead.objects.filter(organisation=acme.org).count() == 1


def test_a_body_that_is_not_json_is_400(client, google):
    hook, _key = google
    assert post_json(client, hook, b"lead_id=1").status_code == 400
    assert not Payload.objects.exists()
