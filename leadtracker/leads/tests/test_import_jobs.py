"""Import through the app: upload, check the mapping, start; the worker imports and reports."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from leadtracker.leads.imports.jobs import run_import_job
from leadtracker.leads.models import ImportJob, Lead

CSV = (
    b"Client Name,Contact No.,Remarks,Ad Set\n"
    b"Sunita,98765 43210,Needs loan,Diwali\n"
    b"Broken,12,,Diwali\n"
    b"Sunita again,+91 98765 43210,,Diwali\n"
)


def upload(client, content=CSV, name="leads.csv"):
    return client.post("/api/v1/imports", {"file": SimpleUploadedFile(name, content, "text/csv")})


def test_upload_map_start_and_finish(acme, as_member, django_capture_on_commit_callbacks):
    client = as_member(acme.maya)
    job = upload(client).json()
    assert job["headers"] == ["Client Name", "Contact No.", "Remarks", "Ad Set"]
    assert job["mapping"] == {"0": "name", "1": "phone", "2": "notes"}
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        started = client.post(
            f"/api/v1/imports/{job['id']}/start",
            {"on_duplicate": "skip", "owner_id": acme.alice.user_id, "source": "Facebook"},
            content_type="application/json",
        )
    assert started.json()["state"] == "queued" and len(callbacks) == 1  # handed to the worker
    run_import_job(job["id"])  # what the worker runs
    done = client.get(f"/api/v1/imports/{job['id']}").json()
    assert (done["state"], done["progress"]) == ("done", 1.0)
    assert {k: done[k] for k in ("rows", "created", "duplicates", "errors")} == {
        "rows": 3,
        "created": 1,
        "duplicates": 1,
        "errors": 1,
    }
    lead = Lead.objects.get(organisation=acme.org)
    assert (
        lead.owner == acme.alice.user
        and lead.source.name == "Facebook"
        and lead.extra == {"Ad Set": "Diwali"}
    )
    report = client.get(f"/api/v1/imports/{job['id']}/errors")
    lines = report.content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("kind,row,column,value,reason,Client Name") and lines[1].startswith(
        "error,3,Contact No.,"
    )
    assert (
        client.post(f"/api/v1/imports/{job['id']}/start", {}, content_type="application/json").status_code
        == 409
    )


def test_mapping_can_be_corrected_and_must_name_a_contact(acme, as_member):
    client = as_member(acme.maya)
    job = upload(client).json()
    bad = client.post(
        f"/api/v1/imports/{job['id']}/start", {"mapping": {"0": "name"}}, content_type="application/json"
    )
    assert bad.status_code == 400 and bad.json()["errors"][0]["field"] == "mapping"
    unknown = client.post(
        f"/api/v1/imports/{job['id']}/start",
        {"mapping": {"0": "salary", "1": "phone"}},
        content_type="application/json",
    )
    assert unknown.status_code == 400
    fixed = client.post(
        f"/api/v1/imports/{job['id']}/start",
        {"mapping": {"0": "name", "1": "phone", "3": "tags"}},
        content_type="application/json",
    )
    assert fixed.status_code == 200
    run_import_job(job["id"])
    assert list(Lead.objects.get(organisation=acme.org).tags.values_list("name", flat=True)) == ["Diwali"]


def test_unreadable_and_oversized_files(acme, as_member, settings):
    client = as_member(acme.maya)
    response = upload(client, content=b"PK\x03\x04not really a zip", name="x.xlsx")
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "file"
    settings.IMPORT_MAX_BYTES = 10
    response = upload(client)
    assert response.status_code == 400 and "larger than" in response.json()["detail"]
    assert not ImportJob.objects.exists()


def test_agents_cannot_import(acme, as_member):
    assert upload(as_member(acme.alice)).status_code == 403


@pytest.mark.django_db(transaction=True)
def test_the_worker_process_runs_the_import(acme):
    from leadtracker.accounts.tests.test_worker import run_worker

    client = __import__("leadtracker.testing", fromlist=["login_client"]).login_client(acme.maya)
    job = upload(client).json()
    client.post(f"/api/v1/imports/{job['id']}/start", {}, content_type="application/json")
    result = run_worker()
    assert result.returncode == 0, result.stderr
    assert ImportJob.objects.get(pk=job["id"]).state == "done"
    assert Lead.objects.filter(organisation=acme.org).count() == 1


def test_uploaded_files_are_purged_after_a_week(acme, as_member):
    import datetime as dt
    import os

    from django.utils import timezone

    from leadtracker.leads.imports.jobs import purge_old_files

    job = ImportJob.objects.get(pk=upload(as_member(acme.maya)).json()["id"])
    assert os.path.exists(job.stored_path)
    assert purge_old_files() == 0  # fresh
    assert purge_old_files(now=timezone.now() + dt.timedelta(days=8)) == 1
    job.refresh_from_db()
    assert job.stored_path == "" and not ImportJob.objects.filter(stored_path__startswith="/").exists()
