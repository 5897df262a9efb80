"""The admin's web flow: prepare an export from a data request, watch it, download it
(audited, counted), and the refusals: agents and managers 403, another organisation 404."""

import pytest

from leadtracker.accounts.models import AuditEvent
from leadtracker.privacy.export.tasks import build_export
from leadtracker.privacy.models import AccessExport
from leadtracker.privacy.tests.export_util import lead_with_history, read_zip
from leadtracker.privacy.tests.requests_util import make_request
from leadtracker.testing import login_client

WORDS = ["Amber", "Banyan", "Cobalt", "Dahlia", "Ember", "Fennel", "Garnet", "Hazel", "Indigo", "Jasmine"]


@pytest.fixture(autouse=True)
def private_dir(settings, tmp_path):
    settings.PRIVATE_FILES_DIR = tmp_path / "private"
    return settings.PRIVATE_FILES_DIR


def downloaded(response) -> bytes:
    return b"".join(response.streaming_content)


def test_admin_prepares_an_export_from_the_request_page_and_downloads_it(
    acme, django_capture_on_commit_callbacks
):
    lead, *_ = lead_with_history(
        acme, name="Ravi Kumar", phones=["+919876543210"], email="ravi@example.in", words=WORDS
    )
    req = make_request(acme, lead=lead)
    admin = login_client(acme.adam)

    page = admin.get(f"/settings/privacy/requests/{req.pk}/").content.decode()
    assert f'action="/settings/privacy/requests/{req.pk}/export/"' in page and "Prepare export" in page

    with django_capture_on_commit_callbacks(execute=False) as queued:
        response = admin.post(f"/settings/privacy/requests/{req.pk}/export/")
    export = AccessExport.objects.get(organisation=acme.org)
    assert response.status_code == 302 and response["Location"] == f"/settings/privacy/exports/{export.pk}/"
    assert (export.lead_id, export.data_request_id, export.requested_by_id) == (
        lead.pk,
        req.pk,
        acme.adam.user_id,
    )
    assert export.status == "queued" and len(queued) == 1  # the worker job, enqueued on commit

    # While queued the page polls itself (htmx, no script of ours) and shows the progress bar.
    page = admin.get(f"/settings/privacy/exports/{export.pk}/").content.decode()
    assert 'hx-trigger="every 1s"' in page and "<progress" in page and "Download" not in page
    assert admin.get(f"/settings/privacy/exports/{export.pk}/download/").status_code == 409

    assert build_export(export.pk) == "ready"
    export.refresh_from_db()
    assert export.progress == 100 and export.size_bytes > 0 and len(export.sha256) == 64
    assert export.expires_at is not None and export.file_name.startswith("exports/")

    fragment = admin.get(f"/settings/privacy/exports/{export.pk}/", HTTP_HX_REQUEST="true").content.decode()
    assert "every 1s" not in fragment and f"/settings/privacy/exports/{export.pk}/download/" in fragment
    assert export.sha256 in fragment

    response = admin.get(f"/settings/privacy/exports/{export.pk}/download/")
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    assert f'filename="access-export-{export.pk}.zip"' in response["Content-Disposition"]
    person, tables = read_zip(downloaded(response))
    assert person["data"]["leads"][0]["name"] == "Ravi Kumar"
    assert {r["note"] for r in tables["calls"]} == {"Call Indigo", "Call Jasmine"}
    assert any(r["id"] == str(req.pk) for r in tables["data_requests"])

    export.refresh_from_db()
    assert export.downloads == 1 and export.last_downloaded_at is not None
    event = AuditEvent.objects.get(action="access_export.downloaded")
    assert (event.actor_user_id, event.object_id) == (acme.adam.user_id, str(export.pk))
    assert event.changes["counts"]["calls"] == 2 and event.changes["subject"] == "lead"
    # Counts only: no name, number or note of the person in the audit log.
    assert "Ravi" not in str(event.changes) and "98765" not in str(event.changes)


def test_admin_prepares_an_export_for_a_number_written_another_way(acme):
    lead, *_ = lead_with_history(acme, name="Ravi Kumar", phones=["+919876543210"], email="", words=WORDS)
    admin = login_client(acme.adam)
    response = admin.post("/settings/privacy/exports/", {"phone": "098765 43210"})
    export = AccessExport.objects.get(organisation=acme.org)
    assert response.status_code == 302 and export.lead_id == lead.pk and export.data_request_id is None

    listing = admin.get("/settings/privacy/exports/").content.decode()
    assert f"Export #{export.pk}" in listing and "Ravi Kumar" in listing


def test_the_export_form_names_the_field_at_fault(acme):
    admin = login_client(acme.adam)
    response = admin.post("/settings/privacy/exports/", {"phone": "12"})
    assert response.status_code == 400 and response.context["refusal"].startswith("Lead's phone number: ")
    response = admin.post("/settings/privacy/exports/", {"phone": "+919999999999"})
    assert (
        response.status_code == 400
        and "no lead of this organisation has this number" in response.content.decode()
    )
    response = admin.post("/settings/privacy/exports/", {})
    assert response.status_code == 400 and "exactly one" in response.content.decode()
    assert not AccessExport.objects.exists()


def test_a_member_export_from_the_list_page(acme):
    admin = login_client(acme.adam)
    response = admin.post("/settings/privacy/exports/", {"member_id": str(acme.alice.pk)})
    export = AccessExport.objects.get()
    assert response.status_code == 302 and export.member_id == acme.alice.pk


@pytest.mark.parametrize("who", ["maya", "alice"])
def test_managers_and_agents_are_refused_every_export_page(acme, who):
    lead, *_ = lead_with_history(acme, name="Ravi Kumar", phones=["+919876543210"], email="", words=WORDS)
    req = make_request(acme, lead=lead)
    export = AccessExport.objects.create(organisation=acme.org, lead=lead)
    build_export(export.pk)
    client = login_client(getattr(acme, who))
    for url in [
        "/settings/privacy/exports/",
        f"/settings/privacy/exports/{export.pk}/",
        f"/settings/privacy/exports/{export.pk}/download/",
    ]:
        assert client.get(url).status_code == 403, url
    assert client.post(f"/settings/privacy/requests/{req.pk}/export/").status_code == 403
    assert client.post("/settings/privacy/exports/", {"phone": "+919876543210"}).status_code == 403
    assert AccessExport.objects.count() == 1
    assert not AuditEvent.objects.filter(action="access_export.downloaded").exists()


def test_another_organisations_export_is_not_found(acme, globex):
    lead, *_ = lead_with_history(globex, name="Ravi Kumar", phones=["+919876543210"], email="", words=WORDS)
    theirs = AccessExport.objects.create(organisation=globex.org, lead=lead)
    build_export(theirs.pk)
    admin = login_client(acme.olga)
    for url in [
        f"/settings/privacy/exports/{theirs.pk}/",
        f"/settings/privacy/exports/{theirs.pk}/download/",
    ]:
        assert admin.get(url).status_code == 404, url
    their_request = make_request(globex, lead=lead)
    assert admin.post(f"/settings/privacy/requests/{their_request.pk}/export/").status_code == 404
    assert admin.post("/settings/privacy/exports/", {"member_id": str(globex.alice.pk)}).status_code == 404
    theirs.refresh_from_db()
    assert theirs.downloads == 0 and AccessExport.objects.filter(organisation=acme.org).count() == 0
