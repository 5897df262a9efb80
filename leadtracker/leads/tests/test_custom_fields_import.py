"""Custom fields in a CSV/XLSX import: a column headed with a field's label maps onto it by
itself, a column can be mapped onto one by hand, cells are checked as the field's type (a bad
one is a warning, the row still a lead), and a choice field's values are mapped like statuses
(value_mapping.fields). The page offers the fields in its mapping. An XLSX's typed cells (numbers,
dates) fill them as well."""

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from leadtracker.accounts.audit import Actor
from leadtracker.leads.fields import actions
from leadtracker.leads.imports.jobs import run_import_job
from leadtracker.leads.models import ImportJob, Lead

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV = (
    b"Customer,Mobile,Budget,BHK,Possession,Locality\n"
    b"Asha,9876500001,45 L,2 BHK,2027-01-10,Baner\n"
    b"Bina,9876500002,lots,3,10/02/2027,Aundh\n"
    b"Chitra,9876500003,1.2 Cr,Studio,,Wakad\n"
)


@pytest.fixture
def realty(acme):
    sys = Actor.system()
    actions.create_field(acme.org, label="Budget", type="money", actor=sys)
    actions.create_field(acme.org, label="BHK", type="choice", choices=["1", "2", "3"], actor=sys)
    actions.create_field(acme.org, label="Possession", type="date", actor=sys)
    actions.create_field(acme.org, label="Area", type="text", actor=sys)
    return acme


def test_a_sheet_fills_custom_fields(realty, as_member):
    client = as_member(realty.maya)
    job = client.post("/api/v1/imports", {"file": SimpleUploadedFile("leads.csv", CSV, "text/csv")}).json()
    # Budget, BHK and Possession are the fields' labels: mapped by themselves; Locality by hand.
    assert {job["mapping"][k] for k in ("2", "3", "4")} == {
        "fields.budget",
        "fields.bhk",
        "fields.possession",
    }
    page = client.get(f"/leads/import/{job['id']}/").content.decode()
    assert "Area (custom field)" in page
    mapping = {**job["mapping"], "5": "fields.area"}
    bad = client.post(
        f"/api/v1/imports/{job['id']}/start",
        {"mapping": mapping, "value_mapping": {"fields": {"bhk": {"Studio": "0"}}}},
        content_type="application/json",
    )
    assert bad.status_code == 400 and bad.json()["errors"][0]["field"] == "value_mapping.fields.bhk.Studio"
    started = client.post(
        f"/api/v1/imports/{job['id']}/start",
        {"mapping": mapping, "value_mapping": {"fields": {"bhk": {"2 bhk": "2", "Studio": "1"}}}},
        content_type="application/json",
    )
    assert started.status_code == 200, started.content
    run_import_job(job["id"])
    done = ImportJob.objects.get(pk=job["id"])
    assert (done.created, done.warnings) == (3, 1), done.first_issues
    assert "not an amount" in str(done.first_issues)
    values = {lead.name: lead.custom_fields for lead in Lead.objects.filter(organisation=realty.org)}
    assert values == {
        "Asha": {"budget": 4500000, "bhk": "2", "possession": "2027-01-10", "area": "Baner"},
        "Bina": {"bhk": "3", "possession": "2027-02-10", "area": "Aundh"},
        "Chitra": {"budget": 12000000, "bhk": "1", "area": "Wakad"},
    }


def test_another_organisations_field_is_no_column_target(realty, globex, as_member):
    actions.create_field(globex.org, label="Course", type="text", actor=Actor.system())
    client = as_member(realty.maya)
    job = client.post("/api/v1/imports", {"file": SimpleUploadedFile("leads.csv", CSV, "text/csv")}).json()
    refused = client.post(
        f"/api/v1/imports/{job['id']}/start",
        {"mapping": {**job["mapping"], "5": "fields.course"}},
        content_type="application/json",
    )
    assert refused.status_code == 400 and refused.json()["errors"][0]["field"] == "mapping"


def test_an_xlsx_sheet_fills_custom_fields_typed_cells_too(realty, as_member):
    # An XLSX holds typed cells: a number for the budget, a date for possession.
    book = Workbook()
    book.active.append(["Customer", "Mobile", "Budget", "BHK", "Possession"])
    book.active.append(["Asha", "9876500001", 4500000, "2 BHK", dt.datetime(2027, 1, 10)])
    book.active.append(["Bina", "9876500002", "1.2 Cr", 3, None])
    data = io.BytesIO()
    book.save(data)
    upload = SimpleUploadedFile("leads.xlsx", data.getvalue(), XLSX)
    client = as_member(realty.maya)
    job = client.post("/api/v1/imports", {"file": upload}).json()
    assert {job["mapping"][k] for k in ("2", "3", "4")} == {
        "fields.budget",
        "fields.bhk",
        "fields.possession",
    }
    started = client.post(
        f"/api/v1/imports/{job['id']}/start",
        {"mapping": job["mapping"], "value_mapping": {"fields": {"bhk": {"2 bhk": "2"}}}},
        content_type="application/json",
    )
    assert started.status_code == 200, started.content
    run_import_job(job["id"])
    done = ImportJob.objects.get(pk=job["id"])
    assert (done.created, done.warnings) == (2, 0), done.first_issues
    values = {lead.name: lead.custom_fields for lead in Lead.objects.filter(organisation=realty.org)}
    assert values == {
        "Asha": {"budget": 4500000, "bhk": "2", "possession": "2027-01-10"},
        "Bina": {"budget": 12000000, "bhk": "3"},
    }
