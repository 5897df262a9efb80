"""/api/v1/privacy/exports: create with exactly one way of naming the person, follow, download."""

import pytest

from leadtracker.accounts.models import AuditEvent
from leadtracker.privacy.export.tasks import build_export
from leadtracker.privacy.models import AccessExport
from leadtracker.privacy.tests.export_util import lead_with_history, read_zip
from leadtracker.privacy.tests.requests_util import make_request
from leadtracker.testing import token_client

WORDS = ["Amber", "Banyan", "Cobalt", "Dahlia", "Ember", "Fennel", "Garnet", "Hazel", "Indigo", "Jasmine"]


@pytest.fixture(autouse=True)
def private_dir(settings, tmp_path):
    settings.PRIVATE_FILES_DIR = tmp_path / "private"


def post(client, body):
    return client.post("/api/v1/privacy/exports", data=body, content_type="application/json")


def test_create_follow_and_download_an_export_of_a_data_requests_person(acme):
    lead, *_ = lead_with_history(acme, name="Ravi Kumar", phones=["+919876543210"], email="", words=WORDS)
    req = make_request(acme, lead=lead)
    api = token_client(acme.adam)

    response = post(api, {"data_request_id": req.pk})
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["status"], body["lead_id"], body["data_request_id"], body["download_url"]) == (
        "queued",
        lead.pk,
        req.pk,
        None,
    )
    url = f"/api/v1/privacy/exports/{body['id']}"
    assert api.get(url + "/download").status_code == 409

    build_export(body["id"])
    got = api.get(url).json()
    assert got["status"] == "ready" and got["progress"] == 100 and got["download_url"] == url + "/download"
    assert [x["id"] for x in api.get("/api/v1/privacy/exports").json()] == [body["id"]]

    response = api.get(url + "/download")
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    person, _tables = read_zip(b"".join(response.streaming_content))
    assert person["data"]["leads"][0]["id"] == lead.pk
    assert api.get(url).json()["downloads"] == 1
    assert (
        AuditEvent.objects.filter(action="access_export.downloaded", object_id=str(body["id"])).count() == 1
    )


def test_a_lead_or_a_member_directly(acme):
    lead, *_ = lead_with_history(acme, name="Ravi Kumar", phones=["+919876543210"], email="", words=WORDS)
    api = token_client(acme.olga)
    assert post(api, {"lead_id": lead.pk}).json()["lead_id"] == lead.pk
    assert post(api, {"member_id": acme.bob.pk}).json()["member_id"] == acme.bob.pk


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "body"),
        ({"lead_id": "x"}, "lead_id"),
        ({"lead_id": None, "member_id": None}, "body"),
        ({"colour": "red"}, "colour"),
    ],
)
def test_bad_bodies_get_422_naming_the_field(acme, body, field):
    response = post(token_client(acme.adam), body)
    assert response.status_code == 422, response.content
    assert field in [e["field"] for e in response.json()["errors"]]
    assert not AccessExport.objects.exists()


def test_two_ways_of_naming_the_person_is_422(acme):
    lead, *_ = lead_with_history(acme, name="Ravi Kumar", phones=["+919876543210"], email="", words=WORDS)
    response = post(token_client(acme.adam), {"lead_id": lead.pk, "member_id": acme.alice.pk})
    assert response.status_code == 422 and "exactly one" in response.json()["detail"]
    assert not AccessExport.objects.exists()


def test_agents_and_managers_get_403(acme):
    lead, *_ = lead_with_history(acme, name="Ravi Kumar", phones=["+919876543210"], email="", words=WORDS)
    export = AccessExport.objects.create(organisation=acme.org, lead=lead)
    build_export(export.pk)
    for who in ("alice", "maya"):
        api = token_client(getattr(acme, who))
        assert post(api, {"lead_id": lead.pk}).status_code == 403
        assert api.get("/api/v1/privacy/exports").status_code == 403
        assert api.get(f"/api/v1/privacy/exports/{export.pk}").status_code == 403
        assert api.get(f"/api/v1/privacy/exports/{export.pk}/download").status_code == 403
    export.refresh_from_db()
    assert export.downloads == 0 and AccessExport.objects.count() == 1


def test_another_organisations_export_and_ids_are_404(acme, globex):
    lead, *_ = lead_with_history(globex, name="Ravi Kumar", phones=["+919876543210"], email="", words=WORDS)
    theirs = AccessExport.objects.create(organisation=globex.org, lead=lead)
    build_export(theirs.pk)
    api = token_client(acme.olga)
    assert api.get(f"/api/v1/privacy/exports/{theirs.pk}").status_code == 404
    assert api.get(f"/api/v1/privacy/exports/{theirs.pk}/download").status_code == 404
    assert post(api, {"lead_id": lead.pk}).status_code == 404
    assert post(api, {"data_request_id": make_request(globex, lead=lead).pk}).status_code == 404
    assert api.get("/api/v1/privacy/exports").json() == []
    theirs.refresh_from_db()
    assert theirs.downloads == 0
