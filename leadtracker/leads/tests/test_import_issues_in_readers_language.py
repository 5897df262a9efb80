"""An import's first issues read in the reader's language (issue 20 §3): the worker keeps what
each reason said as well as the importer's words, so the result page and the API answer an
English reader in English and a Hindi one in Hindi; an import made before shows its words."""

from django.core.files.uploadedfile import SimpleUploadedFile

from leadtracker.accounts.models import User
from leadtracker.leads.imports.jobs import run_import_job
from leadtracker.leads.models import ImportJob
from leadtracker.testing import html_region

CSV = b"Customer,Mobile,Stage\nAsha,9876500001,Junk Lead\nBina,9876500002,Hot\nDev,,New\n"
FORM = {"col0": "name", "col1": "phone", "col2": "status", "on_duplicate": "skip"}


def _import_as_hindi_speaker(acme, as_member) -> ImportJob:
    User.objects.filter(pk=acme.maya.user_id).update(language="hi")
    client = as_member(acme.maya)
    client.post("/leads/import/", {"file": SimpleUploadedFile("zoho.csv", CSV, "text/csv")})
    job = ImportJob.objects.latest("id")
    assert client.post(f"/leads/import/{job.pk}/", FORM).status_code == 302
    run_import_job(job.pk)
    job.refresh_from_db()
    return job


def _items(client, job) -> list[str]:
    page = client.get(f"/leads/import/{job.pk}/").content.decode()
    return [text for tag, _c, text in html_region(page, "import-issues").elements if tag == "li"]


def test_each_reader_reads_the_issues_in_their_language(acme, as_member, api_as):
    job = _import_as_hindi_speaker(acme, as_member)
    assert all("reason_said" in issue for issue in job.first_issues)
    english = _items(as_member(acme.olga), job)
    hindi = _items(as_member(acme.maya), job)
    assert english[1] == (
        "Row 3 · Stage Hot⚠ Warning — imported: not a status here; imported as Interested (a common word)"
    )
    assert hindi[1].endswith("यहाँ ऐसा स्टेटस नहीं; Interested में इम्पोर्ट की (आम शब्द)")
    issues = api_as(acme.olga).get(f"/api/v1/imports/{job.pk}").json()["issues"]
    assert "not a status here; imported as Interested (a common word)" in [i["reason"] for i in issues]
    assert not any("reason_said" in i for i in issues)  # the API's fields are as documented


def test_an_import_made_before_shows_its_words(acme, as_member):
    job = _import_as_hindi_speaker(acme, as_member)
    old = [{k: v for k, v in issue.items() if not k.endswith("_said")} for issue in job.first_issues]
    ImportJob.objects.filter(pk=job.pk).update(first_issues=old)
    english = _items(as_member(acme.olga), job)
    assert english[1].endswith("यहाँ ऐसा स्टेटस नहीं; Interested में इम्पोर्ट की (आम शब्द)")
