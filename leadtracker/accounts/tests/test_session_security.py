"""Session fixation and CSRF, through real HTTP with CSRF checks enforced as in production:
the session key changes at login and again at the second-factor step; web forms refuse a
POST without the token; the API refuses a session POST without it, and needs none with a
bearer token."""

from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.test import Client

from leadtracker.accounts.tests.mfa_helpers import code, enrol
from leadtracker.testing import PASSWORD

COOKIE = settings.SESSION_COOKIE_NAME


def planted_session(client) -> str:
    """A session the attacker made and planted in the victim's browser, before login."""
    session = SessionStore()
    session["planted"] = True
    session.save()
    client.cookies[COOKIE] = session.session_key
    return session.session_key


def csrf_client(member=None) -> Client:
    client = Client(enforce_csrf_checks=True)
    if member is not None:
        client.force_login(member.user, backend="leadtracker.accounts.auth.EmailBackend")
        session = client.session
        session["org_id"] = member.organisation_id
        session.save()
    return client


def token_from(client, path) -> str:
    client.get(path)
    return client.cookies["csrftoken"].value


def test_login_gives_a_new_session_key(acme):
    client = Client()
    planted = planted_session(client)
    response = client.post("/login/", {"email": "alice@acme.test", "password": PASSWORD})
    assert response.status_code == 302
    assert client.cookies[COOKIE].value != planted
    assert not SessionStore().exists(planted)
    # The planted key signs nobody in.
    attacker = Client()
    attacker.cookies[COOKIE] = planted
    assert attacker.get("/members/").status_code == 302


def test_the_key_changes_at_the_password_step_and_again_at_the_code_step(acme):
    key, _codes = enrol(acme.olga.user)
    client = Client()
    planted = planted_session(client)
    client.post("/login/", {"email": "olga@acme.test", "password": PASSWORD})
    between = client.cookies[COOKIE].value
    assert between != planted and not SessionStore().exists(planted)
    assert client.post("/login/code/", {"code": code(key)}).status_code == 302
    signed_in = client.cookies[COOKIE].value
    assert signed_in not in (planted, between)
    assert not SessionStore().exists(between)
    assert client.get("/members/").status_code == 200


def test_login_form_without_the_csrf_token_is_403(acme):
    client = csrf_client()
    refused = client.post("/login/", {"email": "alice@acme.test", "password": PASSWORD})
    assert refused.status_code == 403
    token = token_from(client, "/login/")
    accepted = client.post(
        "/login/", {"email": "alice@acme.test", "password": PASSWORD, "csrfmiddlewaretoken": token}
    )
    assert accepted.status_code == 302


def test_code_step_without_the_csrf_token_is_403(acme):
    key, _codes = enrol(acme.olga.user)
    client = csrf_client()
    token = token_from(client, "/login/")
    client.post("/login/", {"email": "olga@acme.test", "password": PASSWORD, "csrfmiddlewaretoken": token})
    assert client.post("/login/code/", {"code": code(key)}).status_code == 403
    token = token_from(client, "/login/code/")
    assert client.post("/login/code/", {"code": code(key), "csrfmiddlewaretoken": token}).status_code == 302


def test_signed_in_web_forms_without_the_csrf_token_are_403(acme):
    client = csrf_client(acme.adam)
    for path, data in [
        ("/profile/", {"full_name": "Mallory"}),
        ("/profile/security/", {"step": "start"}),
        ("/members/", {"email": "x@example.in", "role": "admin"}),
        (f"/members/{acme.alice.pk}/mfa-reset/", {}),
        ("/logout/", {}),
    ]:
        assert client.post(path, data).status_code == 403, path
    acme.adam.user.refresh_from_db()
    assert acme.adam.user.full_name != "Mallory"


def test_session_api_enforces_csrf_and_bearer_tokens_need_none(acme, api_as):
    client = csrf_client(acme.alice)
    refused = client.post("/api/v1/pairing-codes", {}, content_type="application/json")
    assert refused.status_code == 403
    token = token_from(client, "/profile/security/")
    accepted = client.post(
        "/api/v1/pairing-codes", {}, content_type="application/json", HTTP_X_CSRFTOKEN=token
    )
    assert accepted.status_code == 201
    # A bearer token needs no CSRF token, also where the session is the first scheme listed,
    # and also from a browser that holds a session cookie.
    bearer = api_as(acme.alice)
    bearer.handler.enforce_csrf_checks = True
    assert bearer.post("/api/v1/pairing-codes", {}, content_type="application/json").status_code == 201
    bearer.cookies[COOKIE] = client.cookies[COOKIE].value
    assert bearer.post("/api/v1/pairing-codes", {}, content_type="application/json").status_code == 201
    assert (
        bearer.post(
            "/api/v1/leads", {"name": "X", "phones": ["9876500099"]}, content_type="application/json"
        ).status_code
        == 201
    )
    # A wrong bearer token does not fall back to the session.
    forged = Client(enforce_csrf_checks=True, HTTP_AUTHORIZATION="Bearer wrong")
    forged.cookies[COOKIE] = client.cookies[COOKIE].value
    assert forged.post("/api/v1/pairing-codes", {}, content_type="application/json").status_code == 401
