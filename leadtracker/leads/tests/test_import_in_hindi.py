"""Importing leads in Hindi (issue 20 §3): the upload, column-mapping and value pages speak Hindi to
a person who reads it, and an import's report — its errors and warnings, the most read text of an
import — is written in the language of the person who started it (the worker runs in it); the
result page reads its words, and the first issues' reasons kept as what they say (imports/jobs.py,
lib/stored_text.py), in the reader's language."""

from django.core.files.uploadedfile import SimpleUploadedFile

from leadtracker.accounts.models import User
from leadtracker.leads.imports.jobs import run_import_job
from leadtracker.leads.models import ImportJob
from leadtracker.testing import html_region

CSV = b"Customer,Mobile,Stage\nAsha,9876500001,Junk Lead\nBina,9876500002,Hot\nDev,,New\n"


def _hindi(member):
    User.objects.filter(pk=member.user_id).update(language="hi")


def _upload(client):
    answer = client.post("/leads/import/", {"file": SimpleUploadedFile("zoho.csv", CSV, "text/csv")})
    assert answer.status_code == 302, answer.content[:500]
    return ImportJob.objects.latest("id")


def test_the_upload_and_mapping_pages_are_in_hindi(acme, as_member):
    _hindi(acme.maya)
    client = as_member(acme.maya)
    upload = client.get("/leads/import/").content.decode()
    assert "<h1>लीड इम्पोर्ट करें</h1>" in upload and "अपलोड करें और कॉलम जाँचें" in upload
    assert "Import leads" not in upload and "Upload and check" not in upload
    job = _upload(client)
    page = client.get(f"/leads/import/{job.pk}/").content.decode()
    for hindi in ("<h1>“zoho.csv” इम्पोर्ट</h1>", "कॉलम जाँचें", "वैल्यू जाँचें", "लीड पहले से हो तो", ">इम्पोर्ट<"):
        assert hindi in page, hindi
    assert "अपने आप: Lost (Zoho का शब्द)" in html_region(page, "values").text
    for english in ("Check the columns", "Check the values", "keep as extra", ">Import<", "Automatic"):
        assert english not in page, english


def test_the_report_is_written_in_the_language_of_whoever_started_the_import(acme, as_member):
    _hindi(acme.maya)
    client = as_member(acme.maya)
    job = _upload(client)
    form = {"col0": "name", "col1": "phone", "col2": "status", "on_duplicate": "skip"}
    assert client.post(f"/leads/import/{job.pk}/", form).status_code == 302
    run_import_job(job.pk)  # the worker: no request, no language of its own
    job.refresh_from_db()
    assert (job.created, job.errors, job.warnings) == (2, 1, 2)
    reasons = [issue["reason"] for issue in job.first_issues]
    assert "यहाँ ऐसा स्टेटस नहीं; Lost में इम्पोर्ट की (Zoho का शब्द)" in reasons
    assert "यहाँ ऐसा स्टेटस नहीं; Interested में इम्पोर्ट की (आम शब्द)" in reasons
    page = client.get(f"/leads/import/{job.pk}/").content.decode()
    assert "पूरा हुआ — 1 ग़लती, 2 चेतावनियाँ" in page
    items = [text for tag, _c, text in html_region(page, "import-issues").elements if tag == "li"]
    assert (
        items[1]
        == "लाइन 3 · Stage Hot⚠ चेतावनी — इम्पोर्ट हुई: यहाँ ऐसा स्टेटस नहीं; Interested में इम्पोर्ट की (आम शब्द)"
    )
    # Someone reading in English gets the page in English, the reasons too; the CSV report keeps
    # the importer's words.
    other = as_member(acme.olga).get(f"/leads/import/{job.pk}/").content.decode()
    assert "Done — 1 error, 2 warnings" in other
    assert "Row 3 · Stage" in other and "आम शब्द" not in other
    english = [text for tag, _c, text in html_region(other, "import-issues").elements if tag == "li"]
    assert english[1].startswith("Row 3 · Stage Hot⚠ Warning — imported: ") and "Interested" in english[1]
