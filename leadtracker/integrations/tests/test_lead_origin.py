"""A lead a connector made says where it came from on its page ("Came from: Google Ads: form
…"); an admin also gets a link to the payload's entry in the log (what the provider sent), an
agent the words only. The entry's page is the admins', and another organisation's is a 404."""

from leadtracker.integrations.actions import receive_payload
from leadtracker.integrations.models import Payload
from leadtracker.integrations.tests.util import connector, post_json, work_off
from leadtracker.leads.models import Lead
from leadtracker.testing import login_client, make_lead

BODY = {
    "lead_id": "g-77",
    "form_id": 4411,
    "campaign_id": 9001,
    "user_column_data": [
        {"column_id": "FULL_NAME", "string_value": "Meera Iyer"},
        {"column_id": "PHONE_NUMBER", "string_value": "98450 12345"},
        {"column_id": "budget", "column_name": "Budget", "string_value": "90 lakh"},
    ],
}


def _made(acme, client):
    google, generated = connector(acme, "google-ads")
    assert post_json(client, google, {**BODY, "google_key": generated["key"]}).status_code == 200
    (payload,) = work_off()
    assert payload.status == "done", payload.error
    return google, payload, Lead.objects.get(pk=payload.lead_id)


def test_an_admin_sees_where_the_lead_came_from_and_what_was_sent(acme, client):
    google, payload, lead = _made(acme, client)
    admin = login_client(acme.adam)
    page = admin.get(f"/leads/{lead.pk}/").content.decode()
    entry = f"/settings/integrations/{google.pk}/payloads/{payload.pk}/"
    assert "Came from" in page and "Google Ads: form 4411" in page and entry in page
    sent = admin.get(entry)
    assert sent.status_code == 200
    shown = sent.content.decode()
    assert "New lead:" in shown and f"/leads/{lead.pk}/" in shown and "90 lakh" in shown
    assert "g-77" in shown and "Replay" not in shown
    assert "google_key" not in shown  # the key is never kept, not even in the log
    # The log links each entry to its page.
    assert entry in admin.get(f"/settings/integrations/{google.pk}/").content.decode()


def test_an_agent_sees_the_source_only(acme, client):
    _, payload, lead = _made(acme, client)
    Lead.objects.filter(pk=lead.pk).update(owner=acme.alice.user)  # the agent's own lead
    agent = login_client(acme.alice)
    page = agent.get(f"/leads/{lead.pk}/").content.decode()
    assert "Came from" in page and "Google Ads: form 4411" in page
    assert "/payloads/" not in page and "what it sent" not in page
    assert (
        agent.get(f"/settings/integrations/{payload.connector_id}/payloads/{payload.pk}/").status_code == 403
    )


def test_a_failed_payload_shows_why_and_replay(acme):
    google, _ = connector(acme, "google-ads")
    failed, _ = receive_payload(google, "bad", {"lead_id": "bad"}, failed="the body could not be read")
    shown = login_client(acme.adam).get(f"/settings/integrations/{google.pk}/payloads/{failed.pk}/")
    text = shown.content.decode()
    assert "Failed: the body could not be read" in text and f"/payloads/{failed.pk}/replay/" in text


def test_a_lead_typed_in_has_no_origin_and_another_organisations_payload_is_a_404(acme, globex, client):
    google, payload, _ = _made(acme, client)
    typed = make_lead(acme, owner=acme.alice, phone="98700 55555")
    assert "Came from" not in login_client(acme.adam).get(f"/leads/{typed.pk}/").content.decode()
    outsider = login_client(globex.adam)
    assert outsider.get(f"/settings/integrations/{google.pk}/payloads/{payload.pk}/").status_code == 404
    assert Payload.objects.filter(pk=payload.pk).exists()
