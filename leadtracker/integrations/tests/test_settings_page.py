"""Settings → Integrations: an admin adds a connector and sees its secrets once; its page shows
the health panel (last lead, counts, last error in plain words) and the payload log with a
replay button for a failed payload; only admins get in."""

from leadtracker.integrations.actions import receive_payload
from leadtracker.integrations.models import Connector, Payload
from leadtracker.integrations.tests.util import work_off
from leadtracker.testing import login_client


def test_add_from_the_hub_and_see_the_key_once(acme):
    admin = login_client(acme.adam)
    hub = admin.get("/settings/").content.decode()
    assert 'href="/settings/integrations/"' in hub
    listing = admin.get("/settings/integrations/").content.decode()
    assert 'href="/settings/integrations/add/google-ads/"' in listing
    assert 'href="/settings/integrations/add/facebook/"' in listing
    form = {"name": "Google: Pune", "key": ""}
    added = admin.post("/settings/integrations/add/google-ads/", form, follow=True)
    connector = Connector.objects.get(organisation=acme.org)
    assert added.redirect_chain == [(f"/settings/integrations/{connector.pk}/added/", 302)]
    key = connector.secrets["key"]
    page = added.content.decode()
    assert key in page and connector.url_token in page and "shown only this once" in page
    detail = admin.get(f"/settings/integrations/{connector.pk}/").content.decode()
    assert key not in detail and connector.url_token in detail


def test_a_missing_option_is_named(acme):
    admin = login_client(acme.adam)
    response = admin.post("/settings/integrations/add/facebook/", {"name": "", "page_token": "p"})
    assert response.status_code == 200 and not Connector.objects.exists()
    assert "<strong>App secret:</strong> required for Facebook Lead Ads" in response.content.decode()


def test_health_and_log_show_a_failure_and_replay_queues_it(acme):
    admin = login_client(acme.adam)
    admin.post("/settings/integrations/add/google-ads/", {"name": "Google"})
    connector = Connector.objects.get(organisation=acme.org)
    good = {
        "lead_id": "ok-1",
        "user_column_data": [{"column_id": "PHONE_NUMBER", "string_value": "98765 22233"}],
    }
    receive_payload(connector, "ok-1", good)
    receive_payload(connector, "bad-1", {"lead_id": "bad-1"})
    work_off()
    failed = Payload.objects.get(external_id="bad-1")
    page = admin.get(f"/settings/integrations/{connector.pk}/").content.decode()
    assert "Last error" in page and "no user_column_data in the lead" in page
    assert f"/settings/integrations/{connector.pk}/payloads/{failed.pk}/replay/" in page
    assert page.count(">Replay</button>") == 1  # the one that failed, not the one that worked
    response = admin.post(f"/settings/integrations/{connector.pk}/payloads/{failed.pk}/replay/")
    assert response.status_code == 302
    failed.refresh_from_db()
    assert failed.status == "received"


def test_only_admins(acme):
    assert login_client(acme.maya).get("/settings/integrations/").status_code == 403
    assert login_client(acme.alice).get("/settings/integrations/add/google-ads/").status_code == 403
