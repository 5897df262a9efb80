"""A member reads the notice in effect and accepts it through the API: the same record as the
acceptance page, only the version in effect, and the gate lets a session through at once."""

import datetime as dt

from leadtracker.privacy.models import NoticeAcceptance
from leadtracker.testing import login_client, publish_version, token_client


def accept(client, notice_id):
    return client.post(
        "/api/v1/privacy/notice/accept", {"notice_id": notice_id}, content_type="application/json"
    )


def test_a_gated_session_reads_and_accepts_through_the_api(acme):
    v1 = publish_version(acme.org)
    client = login_client(acme.alice)
    assert client.get("/api/v1/leads").status_code == 403  # the gate
    body = client.get("/api/v1/privacy/notice/current").json()
    assert body["notice"]["id"] == v1.pk and body["notice"]["version"] == 1
    assert body["notice"]["status"] == "effective" and body["notice"]["items"]
    assert body["accepted"] is False and body["acceptance"] is None
    response = accept(client, v1.pk)
    assert response.status_code == 201 and response.json()["version"] == 1
    (record,) = NoticeAcceptance.objects.filter(user=acme.alice.user)
    assert record.notice == v1 and record.version == 1
    assert client.get("/api/v1/leads").status_code == 200
    again = accept(client, v1.pk)
    assert again.status_code == 200
    assert again.json()["accepted_at"] == response.json()["accepted_at"]  # the first record stands
    assert NoticeAcceptance.objects.filter(user=acme.alice.user).count() == 1
    assert client.get("/api/v1/privacy/notice/current").json()["accepted"] is True


def test_only_the_version_in_effect_can_be_accepted(acme, globex):
    v1 = publish_version(acme.org)
    v2 = publish_version(acme.org)
    scheduled = publish_version(acme.org, effective_in=dt.timedelta(days=2))
    theirs = publish_version(globex.org)
    client = token_client(acme.bob)
    for other in (v1, scheduled, theirs):
        response = accept(client, other.pk)
        assert response.status_code == 409, other
        (error,) = response.json()["errors"]
        assert error["field"] == "notice_id" and f"version {v2.version}" in error["message"]
    assert not NoticeAcceptance.objects.filter(user=acme.bob.user).exists()
    assert accept(client, v2.pk).status_code == 201


def test_no_notice_in_effect(acme):
    client = token_client(acme.alice)
    assert client.get("/api/v1/privacy/notice/current").json() == {
        "notice": None,
        "accepted": False,
        "acceptance": None,
    }
    response = accept(client, 1)
    assert response.status_code == 404 and response.json()["errors"][0]["field"] == "notice_id"


def test_bad_input_names_the_field(acme):
    publish_version(acme.org)
    client = token_client(acme.alice)
    for body in ({}, {"notice_id": "one"}, {"notice_id": 1, "extra": True}):
        response = client.post("/api/v1/privacy/notice/accept", body, content_type="application/json")
        assert response.status_code == 422, body
        assert response.json()["errors"][0]["field"] in ("notice_id", "extra"), response.json()
