"""Exporting the filtered list to CSV and XLSX, audited."""

import csv
import io

from openpyxl import load_workbook

from leadtracker.accounts.models import AuditEvent


def content(response):
    return b"".join(response.streaming_content)


def test_csv_export_of_the_filtered_list(acme, api_as, new_lead):
    new_lead(acme, name="राज", phones=["98765 43210", "91234 56789"], city="Pune", by=acme.alice)
    new_lead(acme, name="Other", phone="99887 76655", city="Agra", by=acme.bob)
    response = api_as(acme.maya).get("/api/v1/leads/export?q=Pune&format=csv")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(content(response).decode("utf-8-sig"))))
    header, *data = rows
    assert len(data) == 0  # "Pune" is not a name, company or e-mail: search does not cover city
    response = api_as(acme.maya).get(f"/api/v1/leads/export?owner={acme.alice.user_id}&format=csv")
    header, *data = list(csv.reader(io.StringIO(content(response).decode("utf-8-sig"))))
    assert len(data) == 1 and data[0][header.index("Name")] == "राज"
    assert data[0][header.index("Other phones")] == "+919123456789"
    event = AuditEvent.objects.filter(action="lead.export").latest("pk")
    assert event.changes == {"rows": 1, "format": "csv"}


def test_xlsx_export_and_visibility(acme, api_as, new_lead):
    new_lead(acme, name="Carl's", phone="98765 43210", by=acme.carl)
    new_lead(acme, name="Bob's", phone="91234 56789", by=acme.bob)
    response = api_as(acme.mani).get("/api/v1/leads/export?format=xlsx")
    sheet = load_workbook(io.BytesIO(content(response))).active
    names = [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert names == ["Bob's"]  # mani's team only
    assert api_as(acme.alice).get("/api/v1/leads/export").status_code == 403


def test_cells_that_would_run_as_formulas_are_written_as_text(acme, api_as, new_lead):
    new_lead(
        acme,
        name='=HYPERLINK("http://evil.example","click")',
        company="+cmd|' /C calc'!A0",
        phone="98765 43210",
        by=acme.alice,
    )
    response = api_as(acme.olga).get("/api/v1/leads/export?format=csv")
    header, row = list(csv.reader(io.StringIO(content(response).decode("utf-8-sig"))))
    assert row[header.index("Name")].startswith("'=HYPERLINK")
    assert row[header.index("Company")].startswith("'+cmd")
    assert row[header.index("Phone")] == "+919876543210"  # our own normalised number stays as it is
