"""The admins' notice pages and the public notice page."""

import re

from leadtracker.accounts.models import Organisation
from leadtracker.privacy.models import PrivacyNotice
from leadtracker.testing import login_client, publish_version


def test_admin_starts_edits_and_publishes_a_notice(acme):
    client = login_client(acme.adam)
    assert "No notice yet" in client.get("/settings/privacy/").content.decode()
    response = client.post("/settings/privacy/")
    draft = PrivacyNotice.objects.get(organisation=acme.org)
    assert response["Location"] == f"/settings/privacy/{draft.pk}/"
    page = client.get(response["Location"]).content.decode()
    assert "Call metadata" in page and "Save draft" in page
    response = client.post(
        f"/settings/privacy/{draft.pk}/",
        {
            "title": "Acme privacy",
            "introduction": "Hello",
            "effective_date": "",
            "data": ["Phone numbers", ""],
            "purpose": ["Calling back", ""],
            "legal_basis": ["consent", "consent"],
            "retention": ["90 days", ""],
        },
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.title == "Acme privacy" and [i["data"] for i in draft.items] == ["Phone numbers"]
    assert client.post(f"/settings/privacy/{draft.pk}/publish/").status_code == 302
    draft.refresh_from_db()
    assert draft.version == 1
    # The admin accepts like everyone else before going on.
    assert client.get("/settings/privacy/").status_code == 302
    client.post("/privacy-notice/", {"notice": draft.pk})
    listing = client.get("/settings/privacy/").content.decode()
    assert "in effect" in listing and "v1" in listing


def test_a_published_notice_page_is_read_only(acme):
    v1 = publish_version(acme.org)
    client = login_client(acme.adam)
    client.post("/privacy-notice/", {"notice": v1.pk})
    page = client.get(f"/settings/privacy/{v1.pk}/").content.decode()
    assert "cannot change" in page and "Save draft" not in page
    response = client.post(f"/settings/privacy/{v1.pk}/", {"title": "Rewritten", "data": ["x"]})
    assert response.status_code == 302
    assert PrivacyNotice.objects.get(pk=v1.pk).title != "Rewritten"


def test_bad_item_is_shown_naming_the_field(acme):
    client = login_client(acme.olga)
    client.post("/settings/privacy/")
    draft = PrivacyNotice.objects.get(organisation=acme.org)
    response = client.post(
        f"/settings/privacy/{draft.pk}/",
        {
            "title": "T",
            "data": ["Numbers"],
            "purpose": [""],
            "legal_basis": ["consent"],
            "retention": ["1 year"],
        },
    )
    page = response.content.decode()
    assert response.status_code == 400 and "Item 1, Purpose: " in page and "items.0.purpose" not in page


def test_agents_and_managers_cannot_manage_notices(acme):
    draft_id = login_client(acme.olga).post("/settings/privacy/")["Location"].split("/")[-2]
    for member in (acme.alice, acme.maya):
        client = login_client(member)
        assert client.get("/settings/privacy/").status_code == 403
        assert client.post("/settings/privacy/").status_code == 403
        assert client.get(f"/settings/privacy/{draft_id}/").status_code == 403
        assert client.post(f"/settings/privacy/{draft_id}/publish/").status_code == 403
    assert PrivacyNotice.objects.get().version is None


def test_another_organisations_notice_is_404(acme, globex):
    theirs = publish_version(globex.org)
    client = login_client(acme.olga)
    assert client.get(f"/settings/privacy/{theirs.pk}/").status_code == 404
    assert client.post(f"/settings/privacy/{theirs.pk}/publish/").status_code == 404


def test_public_page_needs_no_login_and_shows_the_effective_version_and_contact(acme, client):
    Organisation.objects.filter(pk=acme.org.pk).update(
        support_email="dpo@acme.test", support_phone="+911234567890"
    )
    assert "not published a privacy notice" in client.get("/privacy/acme/").content.decode()
    v1 = publish_version(acme.org)
    import datetime as dt

    publish_version(acme.org, title="Next one", effective_in=dt.timedelta(days=5))
    page = client.get("/privacy/acme/").content.decode()
    assert "Version 1" in page and "Version 2 takes effect" in page
    for item in v1.items:
        assert item["data"].split(":")[0] in page
    assert "Legitimate use: employment" in page and "Consent" in page
    assert "dpo@acme.test" in page and "+911234567890" in page
    assert re.search(r'<meta name="viewport" content="width=device-width', page)
    assert client.get("/privacy/nobody/").status_code == 404
