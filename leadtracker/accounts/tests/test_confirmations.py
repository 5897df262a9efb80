"""Revoking an API token and deactivating a member ask first on the web (lib/confirm.py): the
question names what happens and to how many, a post without confirm=yes changes nothing, one
with it runs; the API stays direct."""

from django.utils import timezone

from leadtracker.accounts.actions import create_api_token
from leadtracker.accounts.audit import Actor
from leadtracker.accounts.models import ApiToken, Membership
from leadtracker.leads.actions.leads import LeadData, create_lead
from leadtracker.testing import html_region


def asked(response):
    return html_region(response.content, "confirm-form").text


def test_revoking_a_token_names_it_and_says_when_it_was_last_used(acme, as_member):
    token, _raw = create_api_token(acme.alice, name="Zapier", actor=Actor.system())
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    client = as_member(acme.alice)

    response = client.post(f"/tokens/{token.pk}/revoke/")

    assert response.status_code == 200
    assert html_region(response.content, "confirm-title").text == "Revoke token “Zapier”?"
    assert "Anything that uses it stops working at once." in asked(response)
    assert "It was last used on" in asked(response)
    assert ApiToken.objects.get(pk=token.pk).revoked_at is None

    assert client.post(f"/tokens/{token.pk}/revoke/", {"confirm": "yes"}).status_code == 302
    assert ApiToken.objects.get(pk=token.pk).revoked_at is not None


def test_a_phones_token_says_the_phone_stops_syncing(acme, as_member, api_as):
    api_as(acme.alice, kind="device")
    token = ApiToken.objects.get(user=acme.alice.user, kind="device")
    response = as_member(acme.adam).post(
        f"/tokens/{token.pk}/revoke/", {"next": f"/members/{acme.alice.pk}/"}
    )
    assert "It is a phone's token: that phone stops syncing at once." in asked(response)
    assert "It has never been used." in asked(response)
    assert ApiToken.objects.get(pk=token.pk).revoked_at is None


def test_the_api_revokes_a_token_directly(acme, api_as):
    token, _raw = create_api_token(acme.alice, name="Script", actor=Actor.system())
    assert api_as(acme.alice).delete(f"/api/v1/tokens/{token.pk}").status_code == 200
    assert ApiToken.objects.get(pk=token.pk).revoked_at is not None


def test_deactivating_names_tokens_phones_reports_and_leads(acme, as_member, api_as):
    # Maya: two API tokens, one phone, two direct reports (Mani and Alice), three leads.
    create_api_token(acme.maya, name="one", actor=Actor.system())
    create_api_token(acme.maya, name="two", actor=Actor.system())
    api_as(acme.maya, kind="device")
    ApiToken.objects.filter(user=acme.maya.user, kind="personal", name="test").delete()
    for i in range(3):
        data = LeadData(name=f"L{i}", phones=[f"98765 4321{i}"], owner_id=acme.maya.user_id)
        create_lead(acme.org, data, actor=Actor.system(), by=acme.olga)
    client = as_member(acme.adam)

    response = client.post(f"/members/{acme.maya.pk}/", {"deactivate": ""})

    assert response.status_code == 200
    assert html_region(response.content, "confirm-title").text == "Deactivate Maya Acme?"
    text = asked(response)
    assert "Maya is signed out of Acme at once" in text
    assert "Their 2 API tokens and 1 phone stop working." in text
    assert "2 people who report to them move to Olga Owner." in text
    assert "Their 3 leads stay theirs until you reassign them." in text
    assert Membership.objects.get(pk=acme.maya.pk).is_active

    response = client.post(f"/members/{acme.maya.pk}/", {"deactivate": "", "confirm": "yes"})
    assert response.status_code == 302
    assert not Membership.objects.get(pk=acme.maya.pk).is_active


def test_the_api_deactivates_directly(acme, api_as):
    response = api_as(acme.adam).post(f"/api/v1/members/{acme.bob.pk}/deactivate")
    assert response.status_code == 200
    assert not Membership.objects.get(pk=acme.bob.pk).is_active
