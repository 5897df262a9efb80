"""Upload limits, through real HTTP and the real importer: file size (the error names the file
and the limit), rows per import, XLSX zip bombs refused before anything inflates them, and a
CSV with an enormous line."""

import io
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from leadtracker.leads.imports.jobs import run_import_job
from leadtracker.leads.imports.report import error_report
from leadtracker.leads.models import ImportJob, Lead


def upload(client, content, name):
    return client.post(
        "/api/v1/imports", {"file": SimpleUploadedFile(name, content, "application/octet-stream")}
    )


def xlsx(rows: int) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(["Name", "Mobile", "City"])
    for n in range(rows):
        sheet.append([f"Customer {n}", f"98{n:08d}", ["Pune", "Indore", "Kochi"][n % 3]])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def zip_bomb(unpacked_mb: int = 40) -> bytes:
    """A file that looks like an XLSX and would inflate a few KB into ``unpacked_mb`` MB."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        with archive.open("xl/worksheets/sheet1.xml", "w") as member:
            chunk = b"<row>" + b"0" * (1024 * 1024 - 11) + b"</row>"
            for _ in range(unpacked_mb):
                member.write(chunk)
    return out.getvalue()


def test_an_oversized_file_is_refused_naming_the_file_and_the_limit(acme, as_member, settings):
    settings.IMPORT_MAX_BYTES = 2 * 1024 * 1024
    client = as_member(acme.maya)
    response = upload(client, b"Name,Mobile\n" + b"x,9876543210\n" * 250_000, "march-leads.csv")
    assert response.status_code == 400
    error = response.json()["errors"][0]
    assert error["field"] == "file"
    assert "march-leads.csv" in error["message"] and "2 MB" in error["message"]
    # The web form says the same next to the field.
    page = client.post(
        "/leads/import/",
        {"file": SimpleUploadedFile("march-leads.csv", b"a" * (3 * 1024 * 1024), "text/csv")},
    )
    assert page.status_code == 200
    assert "march-leads.csv is larger than the limit of 2 MB" in page.content.decode()
    assert not ImportJob.objects.exists()


def test_a_zip_bomb_is_refused_before_it_is_opened(acme, as_member):
    bomb = zip_bomb(40)
    assert len(bomb) < 200 * 1024  # a few KB on the wire
    response = upload(as_member(acme.maya), bomb, "leads.xlsx")
    assert response.status_code == 422  # a file that cannot be read, as any other
    error = response.json()["errors"][0]
    assert error["field"] == "file"
    assert "leads.xlsx" in error["message"] and "zip bomb" in error["message"]
    assert "xl/worksheets/sheet1.xml" in error["message"]
    assert not ImportJob.objects.exists()


def test_a_file_that_unpacks_too_large_is_refused(acme, as_member, settings):
    settings.IMPORT_XLSX_MAX_UNPACKED = 64 * 1024
    response = upload(as_member(acme.maya), xlsx(3000), "big.xlsx")
    assert response.status_code == 422
    assert "would unpack to" in response.json()["errors"][0]["message"]


def test_an_ordinary_spreadsheet_passes_the_zip_checks(acme, as_member):
    client = as_member(acme.maya)
    job = upload(client, xlsx(20_000), "customers.xlsx").json()
    assert job["headers"] == ["Name", "Mobile", "City"]


def test_rows_past_the_limit_are_reported_not_imported(
    acme, as_member, settings, django_capture_on_commit_callbacks
):
    settings.IMPORT_MAX_ROWS = 3
    client = as_member(acme.maya)
    csv = b"Name,Mobile\n" + b"".join(f"P{n},98765{n:05d}\n".encode() for n in range(6))
    job = upload(client, csv, "six.csv").json()
    with django_capture_on_commit_callbacks(execute=False):
        started = client.post(
            f"/api/v1/imports/{job['id']}/start", {"on_duplicate": "skip"}, content_type="application/json"
        )
    assert started.status_code == 200
    counts = run_import_job(job["id"])
    assert counts["created"] == 3 and counts["errors"] == 1
    assert Lead.objects.filter(organisation=acme.org).count() == 3
    report = error_report(ImportJob.objects.get(pk=job["id"])).decode("utf-8-sig")
    assert "error,5,row,,the file has more than 3 rows" in report


def test_a_csv_with_an_enormous_line_reports_that_row_and_imports_the_rest(
    acme, as_member, django_capture_on_commit_callbacks
):
    client = as_member(acme.maya)
    huge = b'Giant,"' + b"x" * (3 * 1024 * 1024) + b'"\n'
    csv = b"Name,Mobile\nAsha,9876500001\n" + huge + b"Ravi,9876500002\n"
    job = upload(client, csv, "huge-line.csv").json()
    assert job["headers"] == ["Name", "Mobile"]
    with django_capture_on_commit_callbacks(execute=False):
        client.post(
            f"/api/v1/imports/{job['id']}/start", {"on_duplicate": "skip"}, content_type="application/json"
        )
    counts = run_import_job(job["id"])
    assert counts["created"] == 2 and counts["errors"] == 1
    report = error_report(ImportJob.objects.get(pk=job["id"])).decode("utf-8-sig")
    assert "field larger than field limit" in report
