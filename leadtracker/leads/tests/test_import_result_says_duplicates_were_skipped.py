"""An import's result says what became of its duplicates: skipped, because their number or
e-mail is already on a lead — "3 duplicates" alone left a manager asking whether they were
merged, doubled or lost."""

from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile

from leadtracker.leads.imports.jobs import run_import_job
from leadtracker.leads.models import ImportJob
from leadtracker.testing import html_region

FIXTURES = Path(__file__).resolve().parents[3].parent / "shared" / "fixtures" / "lead-imports"


def test_the_result_says_the_duplicates_were_skipped(acme, as_member):
    client = as_member(acme.maya)
    sheet = (FIXTURES / "leads-generic.csv").read_bytes()
    upload = SimpleUploadedFile("leads-generic.csv", sheet, "text/csv")
    assert client.post("/leads/import/", {"file": upload}).status_code == 302
    job = ImportJob.objects.latest("id")
    columns = ["name", "phone", "email", "company", "city", "source", "notes"]
    form = {f"col{i}": field for i, field in enumerate(columns)}
    assert client.post(f"/leads/import/{job.pk}/", form | {"on_duplicate": "skip"}).status_code == 302
    run_import_job(job.pk)
    progress = html_region(client.get(f"/leads/import/{job.pk}/").content.decode(), "progress").text
    assert "3 rows were skipped: their number or e-mail is already on a lead" in progress
