"""The import preview shows each value of the status and owner columns with what it will become,
and the person can change each (web and API); the result says how many warnings there were and
lists the first 50 errors and warnings inline."""

from django.core.files.uploadedfile import SimpleUploadedFile

from leadtracker.leads.imports.jobs import run_import_job
from leadtracker.leads.models import ImportJob, Lead, LeadStatus
from leadtracker.testing import html_region

CSV = (
    b"Customer,Mobile,Stage,Assigned To\n"
    b"Asha,9876500001,Junk Lead,Ravi Kumar\n"
    b"Bina,9876500002,Hot,Alice Acme\n"
    b"Chitra,9876500003,Junk Lead,Ravi Kumar\n"
    b"Dev,12,Hot,\n"
)


def upload_web(client, content=CSV):
    response = client.post(
        "/leads/import/", {"file": SimpleUploadedFile("zoho.csv", content, "text/csv")}, follow=False
    )
    assert response.status_code == 302, response.content[:500]
    return ImportJob.objects.latest("id")


def test_the_preview_lists_each_value_and_what_it_becomes(acme, as_member):
    client = as_member(acme.maya)
    job = upload_web(client)
    page = client.get(f"/leads/import/{job.pk}/").content.decode()
    values = html_region(page, "values").text
    assert "Junk Lead" in values and "Automatic: Lost (Zoho's word)" in values
    assert "Hot" in values and "Automatic: Interested (a common word)" in values
    assert "Ravi Kumar" in values and "Automatic: by the assignment rules" in values
    assert "Alice Acme" in values and "(name of a member)" in values


def test_changing_the_status_column_reloads_the_values(acme, as_member):
    client = as_member(acme.maya)
    job = upload_web(client)
    # The person says the Stage column is not the status: no status values to check then.
    fragment = client.get(
        f"/leads/import/{job.pk}/", {"col0": "name", "col1": "phone", "col2": ""}, HTTP_HX_REQUEST="true"
    ).content.decode()
    assert "Junk Lead" not in fragment and "Ravi Kumar" not in fragment


def test_choices_from_the_page_apply_and_automatic_ones_warn(acme, as_member):
    client = as_member(acme.maya)
    job = upload_web(client)
    negotiation = LeadStatus.objects.get(organisation=acme.org, name="Negotiation")
    values = job.headers and client.get(f"/api/v1/imports/{job.pk}/values").json()
    junk = next(i for i, v in enumerate(values["status"]) if v["value"] == "Junk Lead")
    ravi = next(i for i, v in enumerate(values["owner"]) if v["value"] == "Ravi Kumar")
    form = {"col0": "name", "col1": "phone", "col2": "status", "col3": "owner", "on_duplicate": "skip"}
    form |= {"status_values": len(values["status"]), "owner_values": len(values["owner"])}
    for kind in ("status", "owner"):
        for i, v in enumerate(values[kind]):
            form[f"{kind}_value_{i}"] = v["value"]
            form[f"{kind}_to_{i}"] = ""  # automatic
    form[f"status_to_{junk}"] = str(negotiation.pk)
    form[f"owner_to_{ravi}"] = str(acme.alice.user_id)
    assert client.post(f"/leads/import/{job.pk}/", form).status_code == 302
    run_import_job(job.pk)
    job.refresh_from_db()
    assert (job.rows, job.created, job.errors) == (4, 3, 1)
    assert job.warnings == 1  # only "Hot", left on automatic
    leads = {lead.name: lead for lead in Lead.objects.filter(organisation=acme.org).select_related("status")}
    assert leads["Asha"].status == negotiation and leads["Asha"].owner_id == acme.alice.user_id
    assert leads["Bina"].status.name == "Interested" and leads["Bina"].owner_id == acme.alice.user_id
    page = client.get(f"/leads/import/{job.pk}/").content.decode()
    assert "Done — 1 error, 1 warning" in page
    issues = html_region(page, "import-issues")
    assert "Dev" not in issues.text  # the row's other cells stay in the CSV report
    items = [text for tag, _classes, text in issues.elements if tag == "li"]
    assert items == [  # in the order of the rows
        "Row 3 · Stage Hot⚠ Warning — imported: not a status here; imported as Interested (a common word)",
        "Row 5 · Mobile 12Error — not imported: '12' is too short to be a phone number",
    ]


def test_the_result_lists_the_first_50_and_the_report_holds_all(acme, as_member):
    client = as_member(acme.maya)
    rows = "".join(f"L{i},98765{i:05d},Nonsense {i % 80}\n" for i in range(120))
    job = upload_web(client, ("Name,Phone,Status\n" + rows).encode())
    client.post(f"/leads/import/{job.pk}/", {"col0": "name", "col1": "phone", "col2": "status"})
    run_import_job(job.pk)
    job.refresh_from_db()
    assert (job.created, job.warnings, len(job.first_issues)) == (120, 120, 50)
    page = client.get(f"/leads/import/{job.pk}/").content.decode()
    assert "Done — 120 warnings" in page and "The first 50 of 120 errors and warnings" in page
    items = [classes for tag, classes, _ in html_region(page, "import-issues").elements if tag == "li"]
    assert items == [{"issue-warning"}] * 50
    report = client.get(f"/leads/import/{job.pk}/errors/").content.decode("utf-8-sig").splitlines()
    assert report[0] == "kind,row,column,value,reason,Name,Phone,Status" and len(report) == 121
    api = client.get(f"/api/v1/imports/{job.pk}").json()
    assert (api["warnings"], len(api["issues"])) == (120, 50)
    assert api["issues"][0] == {
        "kind": "warning",
        "row": 2,
        "column": "Status",
        "value": "Nonsense 0",
        "reason": "not a status here; imported as New (the first open status)",
    }


def test_the_api_takes_value_mapping_and_names_what_it_cannot(acme, as_member):
    client = as_member(acme.maya)
    job = client.post("/api/v1/imports", {"file": SimpleUploadedFile("z.csv", CSV, "text/csv")}).json()
    bad = client.post(
        f"/api/v1/imports/{job['id']}/start",
        {"value_mapping": {"status": {"Junk Lead": "Nope"}}},
        content_type="application/json",
    )
    assert bad.status_code == 400 and bad.json()["errors"][0]["field"] == "value_mapping.status.Junk Lead"
    bad_owner = client.post(
        f"/api/v1/imports/{job['id']}/start",
        {"value_mapping": {"owner": {"Ravi Kumar": acme.carl.user_id}}},  # carl is not in maya's team
        content_type="application/json",
    )
    assert bad_owner.status_code == 400
    assert bad_owner.json()["errors"][0]["field"] == "value_mapping.owner.Ravi Kumar"
    assert ImportJob.objects.get(pk=job["id"]).state == "uploaded"
    ok = client.post(
        f"/api/v1/imports/{job['id']}/start",
        {
            "value_mapping": {
                "status": {"junk lead": "Lost", "HOT": "Won"},
                "owner": {"Ravi Kumar": "none"},
                "unknown_owner": "none",
            }
        },
        content_type="application/json",
    )
    assert ok.status_code == 200, ok.content
    run_import_job(job["id"])
    done = client.get(f"/api/v1/imports/{job['id']}").json()
    assert {k: done[k] for k in ("rows", "created", "duplicates", "errors", "warnings")} == {
        "rows": 4,
        "created": 3,
        "duplicates": 0,
        "errors": 1,
        "warnings": 0,
    }
    assert set(Lead.objects.filter(organisation=acme.org).values_list("status__name", flat=True)) == {
        "Lost",
        "Won",
    }


def test_a_refused_start_says_why_in_the_pages_words(acme, as_member):
    client = as_member(acme.maya)
    job = upload_web(client)
    page = client.post(f"/leads/import/{job.pk}/", {"col0": "name", "col1": "", "col2": "status"})
    assert page.status_code == 422
    text = page.content.decode()
    assert "map at least one column to Phone or E-mail" in text and "mapping:" not in text
    assert 'value="status" selected' in text  # the person's choices are kept
    job.refresh_from_db()
    assert job.state == "uploaded"


def test_a_file_with_no_rows_under_its_header_says_so(acme, as_member):
    client = as_member(acme.maya)
    job = upload_web(client, b"Name,Mobile\n")
    client.post(f"/leads/import/{job.pk}/", {"col0": "name", "col1": "phone"})
    run_import_job(job.pk)
    page = client.get(f"/leads/import/{job.pk}/").content.decode()
    assert "The file has no rows under its header: nothing was imported." in page
    assert "Not started" not in client.get("/leads/import/").content.decode()
