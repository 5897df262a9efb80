"""Members accept the notice in effect before anything else: at first login, and again when a
newer version takes effect. Organisations without a notice are not gated; phones and
integrations with tokens never are."""

import datetime as dt
import time

from django.utils import timezone

from leadtracker.privacy import middleware
from leadtracker.privacy.models import NoticeAcceptance
from leadtracker.testing import (
    PASSWORD,
    call,
    login_client,
    open_shift,
    paired_client,
    publish_version,
    send,
    token_client,
)


def test_no_notice_no_gate(acme):
    assert login_client(acme.alice).get("/").status_code == 200


def test_first_login_goes_to_the_notice_and_accepting_lets_through(acme, client):
    v1 = publish_version(acme.org)
    response = client.post("/login/", {"email": "alice@acme.test", "password": PASSWORD})
    assert response.status_code == 302
    response = client.get("/leads/")
    assert response.status_code == 302 and response["Location"] == "/privacy-notice/?next=%2Fleads%2F"
    page = client.get(response["Location"])
    assert page.status_code == 200 and "accept version 1" in page.content.decode()
    response = client.post("/privacy-notice/", {"notice": v1.pk, "next": "/leads/"})
    assert response.status_code == 302 and response["Location"] == "/leads/"
    acceptance = NoticeAcceptance.objects.get(user=acme.alice.user)
    assert acceptance.version == 1 and acceptance.notice == v1
    assert abs(acceptance.accepted_at - timezone.now()) < dt.timedelta(minutes=1)
    assert client.get("/leads/").status_code == 200


def test_a_version_with_a_future_date_does_not_gate_until_then(acme):
    v1 = publish_version(acme.org)
    client = login_client(acme.alice)
    client.post("/privacy-notice/", {"notice": v1.pk})
    publish_version(acme.org, effective_in=dt.timedelta(days=3))
    assert client.get("/").status_code == 200
    assert login_client(acme.alice).get("/").status_code == 200  # a fresh sign-in too


def test_a_new_version_gates_again_once_it_takes_effect(acme, time_machine):
    v1 = publish_version(acme.org)
    client = login_client(acme.alice)
    client.post("/privacy-notice/", {"notice": v1.pk})
    v2 = publish_version(acme.org, effective_in=dt.timedelta(seconds=20))
    # The session's cached answer runs out when v2 takes effect, not a minute later.
    assert client.get("/").status_code == 200
    time_machine.move_to(v2.effective_at + dt.timedelta(seconds=1), tick=True)
    assert client.get("/").status_code == 302
    client.post("/privacy-notice/", {"notice": v2.pk})
    assert client.get("/").status_code == 200
    versions = NoticeAcceptance.objects.filter(user=acme.alice.user).order_by("accepted_at")
    assert list(versions.values_list("version", flat=True)) == [1, 2]


def test_a_version_published_to_take_effect_at_once_gates_within_a_minute(acme):
    v1 = publish_version(acme.org)
    client = login_client(acme.alice)
    client.post("/privacy-notice/", {"notice": v1.pk})
    assert client.get("/").status_code == 200
    publish_version(acme.org)
    session = client.session
    assert session[middleware.SESSION_KEY]["until"] <= time.time() + middleware.RECHECK_SECONDS
    session[middleware.SESSION_KEY]["until"] = 0  # a minute has passed
    session.save()
    assert client.get("/").status_code == 302


def test_the_cached_answer_never_outlives_a_scheduled_version(acme):
    publish_version(acme.org, effective_in=dt.timedelta(seconds=30))
    client = login_client(acme.alice)
    assert client.get("/").status_code == 200
    until = client.session[middleware.SESSION_KEY]["until"]
    assert until <= (timezone.now() + dt.timedelta(seconds=31)).timestamp()


def test_a_page_opened_before_a_newer_version_does_not_accept_the_newer_one(acme):
    v1 = publish_version(acme.org)
    client = login_client(acme.alice)
    v2 = publish_version(acme.org)
    response = client.post("/privacy-notice/", {"notice": v1.pk})
    assert response.status_code == 200 and "version 2" in response.content.decode()
    assert not NoticeAcceptance.objects.filter(user=acme.alice.user).exists()
    client.post("/privacy-notice/", {"notice": v2.pk})
    assert NoticeAcceptance.objects.get(user=acme.alice.user).version == 2


def test_every_role_is_gated_and_other_organisations_are_not(acme, globex):
    publish_version(acme.org)
    for member in (acme.olga, acme.maya, acme.alice):
        assert login_client(member).get("/leads/").status_code == 302
    assert login_client(globex.alice).get("/leads/").status_code == 200


def test_what_stays_open_while_a_notice_waits(acme):
    publish_version(acme.org)
    client = login_client(acme.alice)
    assert client.get("/privacy/acme/").status_code == 200
    assert client.get("/privacy-notice/").status_code == 200
    assert client.get("/static/css/app.css").status_code in (200, 404)  # never a redirect
    assert client.post("/logout/").status_code == 302
    assert client.get("/privacy-notice/").status_code == 302  # logged out now: to the login page


def test_htmx_requests_are_told_to_load_the_notice(acme):
    publish_version(acme.org)
    response = login_client(acme.alice).get("/leads/", HTTP_HX_REQUEST="true")
    assert response.status_code == 204 and response["HX-Redirect"].startswith("/privacy-notice/")


def test_api_with_a_session_gets_a_403_naming_the_version(acme):
    publish_version(acme.org)
    response = login_client(acme.alice).get("/api/v1/leads")
    assert response.status_code == 403
    body = response.json()
    assert body["notice_version"] == 1 and "version 1" in body["detail"]
    assert body["errors"][0]["field"] == "privacy_notice"


def test_tokens_are_not_gated_and_phones_keep_syncing(acme):
    publish_version(acme.org)
    assert token_client(acme.alice).get("/api/v1/leads").status_code == 200
    open_shift(acme.alice)
    phone = paired_client(acme.alice)
    body = send(phone, [call(1)]).json()
    assert body["stored"] == 1, body
    state = phone.post(
        "/api/v1/devices/state", {"call_log_permission": "granted"}, content_type="application/json"
    )
    assert state.status_code == 200, state.content
