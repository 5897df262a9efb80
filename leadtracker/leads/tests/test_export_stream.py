"""The XLSX export is written row by row (openpyxl's write-only mode) to a temporary file and
sent from it, so its memory does not grow with the number of leads."""

import io
import os

import openpyxl
import pytest
from django.http import FileResponse
from django.utils import timezone
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from leadtracker.accounts.models import AuditEvent
from leadtracker.leads.actions.leads import default_status
from leadtracker.leads.models import Lead, LeadPhone
from leadtracker.lib import spreadsheet

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def many_leads(people, n):
    """n leads straight into the tables: the export is under test here, not create_lead."""
    status, now = default_status(people.org.pk), timezone.now()
    leads = Lead.objects.bulk_create(
        [
            Lead(
                organisation=people.org,
                name=f"राज {i}" if i % 2 else f"Lead {i}",
                company=f"Company {i % 7}",
                phone=f"+9198765{i:05d}",
                status=status,
                owner_id=people.alice.user_id,
                created_at=now,
                updated_at=now,
            )
            for i in range(n)
        ]
    )
    LeadPhone.objects.bulk_create(
        [LeadPhone(organisation=people.org, lead=lead, e164=lead.phone) for lead in leads]
    )
    return sorted(lead.pk for lead in leads)


def read(response):
    return openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)


def test_export_of_a_few_hundred_leads_has_every_row(acme, api_as):
    ids = many_leads(acme, 300)
    response = api_as(acme.olga).get("/api/v1/leads/export?format=xlsx")
    assert response.status_code == 200 and response["Content-Type"] == XLSX
    assert response["Content-Disposition"].startswith('attachment; filename="leads-acme-')
    assert int(response["Content-Length"]) > 0
    sheet = read(response)["Leads"]
    header, *rows = list(sheet.iter_rows(values_only=True))
    assert header[:4] == ("ID", "Name", "Company", "Phone")
    assert [row[0] for row in rows] == ids
    assert rows[1][1] == "राज 1" and rows[2][1] == "Lead 2" and rows[2][3] == "+919876500002"
    assert AuditEvent.objects.get(action="lead.export").changes == {"rows": 300, "format": "xlsx"}


def test_cells_stay_text_and_control_characters_do_not_break_the_file(acme, api_as, new_lead):
    new_lead(acme, name='=HYPERLINK("http://evil.example")', company="Sai\x0bTraders", by=acme.alice)
    sheet = openpyxl.load_workbook(
        io.BytesIO(b"".join(api_as(acme.olga).get("/api/v1/leads/export?format=xlsx").streaming_content))
    )["Leads"]
    name, company = sheet.cell(row=2, column=2), sheet.cell(row=2, column=3)
    assert name.data_type == "s" and name.value.startswith("'=HYPERLINK")  # never a formula
    assert company.value == "SaiTraders"


def test_the_workbook_is_write_only_and_sent_from_a_temporary_file(acme, api_as, monkeypatch):
    many_leads(acme, 20)
    workbooks, files = [], []
    real_workbook, real_file = openpyxl.Workbook, spreadsheet.xlsx_file

    def workbook_spy(*args, **kwargs):
        workbooks.append(real_workbook(*args, **kwargs))
        return workbooks[-1]

    def file_spy(*args, **kwargs):
        files.append(real_file(*args, **kwargs))
        return files[-1]

    monkeypatch.setattr(openpyxl, "Workbook", workbook_spy)
    monkeypatch.setattr(spreadsheet, "xlsx_file", file_spy)
    response = api_as(acme.olga).get("/api/v1/leads/export?format=xlsx")
    (workbook,) = workbooks
    # Write-only: each row goes to disk as it is appended; nothing keeps the cells.
    assert workbook.write_only
    assert all(isinstance(sheet, WriteOnlyWorksheet) for sheet in workbook.worksheets)
    # Sent from a file on disk, not from bytes built in memory.
    (sent_from,) = files
    assert isinstance(response, FileResponse)
    assert not isinstance(sent_from, io.BytesIO) and sent_from.fileno() >= 0
    assert int(response["Content-Length"]) == os.fstat(sent_from.fileno()).st_size
    assert len(list(read(response)["Leads"].iter_rows())) == 21
    response.close()
    assert sent_from.closed  # and with it, the temporary file is gone


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_agents_cannot_export(acme, api_as, fmt):
    assert api_as(acme.alice).get(f"/api/v1/leads/export?format={fmt}").status_code == 403
    assert not AuditEvent.objects.filter(action="lead.export").exists()
