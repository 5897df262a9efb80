"""A draft notice can be deleted, on its page and through the API, by owners and admins; a
published version never: members accepted it."""

import pytest

from leadtracker.accounts.audit import Actor
from leadtracker.accounts.models import AuditEvent
from leadtracker.privacy.models import PrivacyNotice
from leadtracker.privacy.notices import actions
from leadtracker.testing import login_client, publish_version, token_client


def draft(org):
    return actions.create_draft(org, actor=Actor.system())


def test_admin_deletes_a_draft_on_its_page(acme):
    notice = draft(acme.org)
    client = login_client(acme.adam)
    assert "Delete draft" in client.get(f"/settings/privacy/{notice.pk}/").content.decode()
    response = client.post(f"/settings/privacy/{notice.pk}/delete/")
    assert response.status_code == 302 and response["Location"] == "/settings/privacy/"
    assert not PrivacyNotice.objects.filter(pk=notice.pk).exists()
    event = AuditEvent.objects.get(action="privacy_notice.draft_deleted")
    assert (event.object_id, event.actor_user) == (str(notice.pk), acme.adam.user)


def test_owner_deletes_a_draft_through_the_api(acme):
    notice = draft(acme.org)
    response = token_client(acme.olga).delete(f"/api/v1/privacy/notices/{notice.pk}")
    assert response.status_code == 204
    assert not PrivacyNotice.objects.filter(pk=notice.pk).exists()


def test_a_published_version_cannot_be_deleted(acme):
    published = publish_version(acme.org)
    response = token_client(acme.olga).delete(f"/api/v1/privacy/notices/{published.pk}")
    assert response.status_code == 409 and response.json()["errors"][0]["field"] == "notice"
    client = login_client(acme.olga)
    client.post("/privacy-notice/", {"notice": published.pk})  # past the gate
    assert "Delete draft" not in client.get(f"/settings/privacy/{published.pk}/").content.decode()
    response = client.post(f"/settings/privacy/{published.pk}/delete/", follow=True)
    assert "cannot be deleted" in response.content.decode()
    assert PrivacyNotice.objects.filter(pk=published.pk).exists()
    assert not AuditEvent.objects.filter(action="privacy_notice.draft_deleted").exists()


@pytest.mark.parametrize("who", ["maya", "alice"])
def test_managers_and_agents_may_not(acme, who):
    notice = draft(acme.org)
    member = getattr(acme, who)
    assert login_client(member).post(f"/settings/privacy/{notice.pk}/delete/").status_code == 403
    assert token_client(member).delete(f"/api/v1/privacy/notices/{notice.pk}").status_code == 403
    assert PrivacyNotice.objects.filter(pk=notice.pk).exists()


def test_another_organisations_draft_is_not_found(acme, globex):
    theirs = draft(globex.org)
    assert login_client(acme.olga).post(f"/settings/privacy/{theirs.pk}/delete/").status_code == 404
    assert token_client(acme.olga).delete(f"/api/v1/privacy/notices/{theirs.pk}").status_code == 404
    assert PrivacyNotice.objects.filter(pk=theirs.pk).exists()
