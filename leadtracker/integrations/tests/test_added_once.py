"""Adding a connector is post/redirect/get: the secrets made for it are shown once, on a page
reached by redirect; a refresh shows the connector's page (no second connector, no new
secret). Names tell connectors apart: one typed that another has is refused naming the field,
a second one added without a name is numbered ("Webhook 2"), and a name cannot be cleared."""

from leadtracker.integrations.models import Connector
from leadtracker.testing import login_client


def test_a_refresh_of_the_added_page_adds_nothing_and_shows_the_secret_no_more(acme):
    admin = login_client(acme.adam)
    form = {"name": "FB", "app_secret": "s", "page_token": "p"}
    response = admin.post("/settings/integrations/add/facebook/", form)
    connector = Connector.objects.get()
    added = f"/settings/integrations/{connector.pk}/added/"
    assert response.status_code == 302 and response["Location"] == added
    page = admin.get(added).content.decode()
    token = connector.secrets["verify_token"]
    assert token in page and "Verify token (made for you)" in page and "Verify_token" not in page
    assert "Paste these into Facebook Lead Ads" in page
    again = admin.get(added)
    assert again.status_code == 302 and again["Location"] == f"/settings/integrations/{connector.pk}/"
    assert token not in admin.get(again["Location"]).content.decode()
    assert Connector.objects.count() == 1
    # Nor is it shown in another session of the same admin (another phone, a shared link).
    assert login_client(acme.adam).get(added).status_code == 302


def test_the_webhook_says_where_to_paste_in_words(acme):
    admin = login_client(acme.adam)
    page = admin.post("/settings/integrations/add/webhook/", {"name": "Site form"}, follow=True)
    page = page.content.decode()
    assert "Paste these into your form tool" in page and "Shared secret (made for you)" in page


def test_names_tell_connectors_apart(acme):
    admin = login_client(acme.adam)
    admin.post("/settings/integrations/add/webhook/", {"name": "Site form"})
    page = admin.post("/settings/integrations/add/webhook/", {"name": "site form "}).content.decode()
    assert "<strong>Name:</strong> another connector is already called “site form”" in page
    admin.post("/settings/integrations/add/webhook/", {"name": ""})
    admin.post("/settings/integrations/add/webhook/", {"name": ""})
    assert sorted(Connector.objects.values_list("name", flat=True)) == ["Site form", "Webhook", "Webhook 2"]

    first = Connector.objects.get(name="Site form")
    cleared = admin.post(f"/settings/integrations/{first.pk}/", {"name": "  ", "is_active": "on"})
    assert cleared.status_code == 200
    assert "<strong>Name:</strong> a connector needs a name" in cleared.content.decode()
    taken = admin.post(f"/settings/integrations/{first.pk}/", {"name": "Webhook 2", "is_active": "on"})
    assert "another connector is already called “Webhook 2”" in taken.content.decode()
    renamed = admin.post(f"/settings/integrations/{first.pk}/", {"name": "Contact form", "is_active": "on"})
    assert renamed.status_code == 302
    first.refresh_from_db()
    assert first.name == "Contact form"
