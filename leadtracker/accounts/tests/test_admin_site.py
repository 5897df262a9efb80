"""The Django admin is for superusers; it shows no secrets and cannot rewrite the audit log."""

from django.test import Client

from leadtracker.accounts.models import AuditEvent, User


def superuser_client():
    admin = User.objects.create_superuser("root@example.in", "a-very-long-root-password", full_name="Root")
    client = Client()
    client.force_login(admin)
    return client


def test_superuser_browses_every_model(acme, api_as):
    api_as(acme.alice)  # a token exists
    client = superuser_client()
    for model in ("user", "organisation", "membership", "invitation", "apitoken", "auditevent"):
        assert client.get(f"/django-admin/accounts/{model}/").status_code == 200, model


def test_token_hash_is_not_shown_and_audit_is_read_only(acme, api_as):
    api_as(acme.alice)
    from leadtracker.accounts.models import ApiToken

    token = ApiToken.objects.get(user=acme.alice.user)
    client = superuser_client()
    page = client.get(f"/django-admin/accounts/apitoken/{token.pk}/change/").content.decode()
    assert token.token_hash not in page
    event = AuditEvent.objects.first()
    assert (
        client.post(f"/django-admin/accounts/auditevent/{event.pk}/delete/", {"post": "yes"}).status_code
        == 403
    )


def test_members_are_not_let_into_the_admin(acme, as_member):
    response = as_member(acme.olga).get("/django-admin/")
    assert response.status_code == 302 and "/django-admin/login/" in response.url
