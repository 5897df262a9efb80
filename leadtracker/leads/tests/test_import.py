"""Importing spreadsheets: the shared fixtures, encodings, delimiters, XLSX, broken rows,
duplicates within the file and against stored leads, and the command's JSON summary."""

import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command

from leadtracker.accounts.audit import Actor
from leadtracker.leads.imports.importer import import_file
from leadtracker.leads.imports.mapping import guess_mapping, normalise_header
from leadtracker.leads.models import Activity, Lead, LeadPhone

FIXTURES = Path(__file__).resolve().parents[3].parent / "shared" / "fixtures" / "lead-imports"


def run_command(path, org="acme", **options):
    out, err = io.StringIO(), io.StringIO()
    call_command("import_leads", str(path), org=org, stdout=out, stderr=err, **options)
    return json.loads(out.getvalue().strip().splitlines()[-1]), err.getvalue()


@pytest.mark.parametrize(
    "name, expected",
    [
        (
            "leads-generic.csv",
            {"rows": 30, "created": 25, "updated": 0, "duplicates": 3, "errors": 2, "warnings": 0},
        ),
        (
            "facebook-lead-ads.csv",
            {"rows": 8, "created": 8, "updated": 0, "duplicates": 0, "errors": 0, "warnings": 0},
        ),
        (
            "realestate-budgets.csv",
            {"rows": 9, "created": 6, "updated": 0, "duplicates": 1, "errors": 2, "warnings": 10},
        ),
    ],
)
def test_shared_fixtures_import_with_the_documented_counts(acme, name, expected):
    summary, _err = run_command(FIXTURES / name)
    assert summary == expected
    assert Lead.objects.filter(organisation=acme.org).count() == expected["created"]


def test_generic_fixture_details(acme):
    _summary, err = run_command(FIXTURES / "leads-generic.csv", source="Walk-in")
    assert "row 30: error: Mobile: " in err  # the short number, named by row and field
    lead = Lead.objects.get(organisation=acme.org, name="Karthik Verma")
    assert lead.phone == "+919091390996" and lead.company == "Sai Infra Pvt Ltd"
    assert lead.source.name == "IndiaMART"  # the row's own source beats --source
    assert Activity.objects.filter(lead=lead, kind="note", body="Wants 2BHK").exists()
    # Every stored number is E.164 and unique.
    numbers = list(LeadPhone.objects.filter(organisation=acme.org).values_list("e164", flat=True))
    assert all(n.startswith("+91") and len(n) == 13 for n in numbers)
    assert len(numbers) == len(set(numbers))


def test_facebook_fixture_strips_prefixes_and_keeps_ad_fields(acme):
    run_command(FIXTURES / "facebook-lead-ads.csv")
    lead = Lead.objects.get(organisation=acme.org, email="priya@example.com")
    assert lead.phone == "+919024264628" and lead.city == "Cuttack"
    assert lead.extra["campaign_name"] == "Diwali leads"
    assert lead.created_at.isoformat().startswith("2026-11-09T18:45")  # 00:15 IST in UTC


def test_facebook_platform_codes_become_the_sources_a_manager_reads(acme):
    """Facebook's export writes its platform as "fb" or "ig": the leads' sources (in the lead
    list, its filter and the dashboard's sources chart) say Facebook and Instagram."""
    run_command(FIXTURES / "facebook-lead-ads.csv")
    leads = Lead.objects.filter(organisation=acme.org)
    assert set(leads.values_list("source__name", flat=True)) == {"Facebook", "Instagram"}
    assert leads.get(email="sneha@example.com").source.name == "Instagram"  # "ig" in the file


def test_second_import_counts_everything_as_duplicates(acme):
    run_command(FIXTURES / "leads-generic.csv")
    summary, _ = run_command(FIXTURES / "leads-generic.csv")
    assert summary == {"rows": 30, "created": 0, "updated": 0, "duplicates": 28, "errors": 2, "warnings": 0}


def write(tmp_path, name, text, encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


SHEET = (
    "Customer Name;Contact No.;Mobile No;E-mail ID;City\n"
    "रमेश कुमार;98765 43210;+91 91234 56789;ramesh@example.in;Pune\n"
)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16"])
def test_encodings_and_semicolons(acme, tmp_path, encoding):
    path = write(tmp_path, "sheet.csv", SHEET, encoding)
    summary, _ = run_command(path)
    assert summary["created"] == 1
    lead = Lead.objects.get(organisation=acme.org)
    assert lead.name == "रमेश कुमार" and lead.email == "ramesh@example.in"
    assert set(lead.phones.values_list("e164", flat=True)) == {"+919876543210", "+919123456789"}


def test_windows_1252_and_tabs(acme, tmp_path):
    path = write(tmp_path, "sheet.txt", "Name\tPhone\tCompany\nJosé Müller\t9876543210\tCafé Ltd\n", "cp1252")
    summary, _ = run_command(path)
    assert summary["created"] == 1
    assert Lead.objects.get(organisation=acme.org).name == "José Müller"


def test_xlsx(acme, tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["First Name", "Last Name", "Mobile", "Lead Source", "Annual Revenue"])
    ws.append(["Anita", "Desai", 9876543210, "Website", 150000])
    ws.append(["Bad", "Row", "12", "Website", None])
    path = tmp_path / "zoho.xlsx"
    wb.save(path)
    summary, _ = run_command(path)
    assert summary == {"rows": 2, "created": 1, "updated": 0, "duplicates": 0, "errors": 1, "warnings": 0}
    lead = Lead.objects.get(organisation=acme.org)
    assert lead.name == "Anita Desai" and lead.phone == "+919876543210" and lead.value == 150000


def test_duplicates_within_the_file_and_modes(acme, tmp_path):
    text = (
        "Name,Phone,Alt Phone,Email,City\n"
        "Ravi,98765 43210,,,\n"
        "Ravi S,+91-98765-43210,91234 56789,ravi@example.in,Delhi\n"
        "Someone,,,RAVI@example.in,\n"
    )
    path = write(tmp_path, "dups.csv", text)
    summary, _ = run_command(path, on_duplicate="update")
    assert summary == {"rows": 3, "created": 1, "updated": 0, "duplicates": 2, "errors": 0, "warnings": 0}
    lead = Lead.objects.get(organisation=acme.org)
    # The later rows filled in what the first lacked, and added the second number.
    assert lead.email == "ravi@example.in" and lead.city == "Delhi"
    assert lead.phones.count() == 2
    summary, _ = run_command(path, on_duplicate="update")
    assert summary["duplicates"] == 3 and summary["updated"] == 0  # nothing new to add
    more = write(tmp_path, "more.csv", "Name,Mobile,Company\nRavi,9876543210,Ravi Motors\nRavi,9876543210,\n")
    summary, _ = run_command(more, on_duplicate="update")
    assert summary == {"rows": 2, "created": 0, "updated": 1, "duplicates": 2, "errors": 0, "warnings": 0}
    assert Lead.objects.get(organisation=acme.org).company == "Ravi Motors"
    summary, _ = run_command(path, on_duplicate="create")
    assert summary["created"] == 3 and summary["duplicates"] == 3
    # The database still holds each number and e-mail once.
    assert LeadPhone.objects.filter(organisation=acme.org, e164="+919876543210").count() == 1
    assert Lead.objects.filter(organisation=acme.org, email="ravi@example.in").count() == 1


def test_broken_rows_never_stop_the_rest(acme, tmp_path):
    rows = ["Name,Phone,Status,Owner"]
    for i in range(2500):
        phone = f"98{i:08d}"
        if i == 1700:
            rows.append('"unterminated,quote')  # swallows following lines into one bad cell
        elif i == 1200:
            rows.append(f"Bad status {i},{phone},Nonsense,")
        elif i == 1300:
            rows.append(f"Bad owner {i},{phone},,nobody@example.in")
        else:
            rows.append(f"Lead {i},{phone},Contacted,alice@acme.test")
    path = write(tmp_path, "big.csv", "\n".join(rows) + "\n")
    errors = []
    counts = import_file(
        acme.org,
        str(path),
        actor=Actor.system(),
        issue_sink=lambda i: errors.append((i.row, i.column, i.reason)),
    )
    # An unknown status or owner is a warning on a lead, not a lost row.
    assert (1202, "Status", "not a status here; imported as New (the first open status)") in errors
    assert (
        1302,
        "Owner",
        "not an active member; assigned by the rules (unowned if none applies)",
    ) in errors
    assert counts.created >= 2500 - 2 and counts.rows == counts.created + counts.errors + counts.duplicates
    assert Lead.objects.filter(owner=acme.alice.user, status__name="Contacted").count() == counts.created - 2


def test_owner_and_source_options(acme):
    summary, _ = run_command(FIXTURES / "facebook-lead-ads.csv", owner="bob@acme.test", source="Facebook")
    assert summary["created"] == 8
    assert set(Lead.objects.filter(organisation=acme.org).values_list("owner__email", flat=True)) == {
        "bob@acme.test"
    }


def test_command_errors_name_the_argument(acme):
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="--org"):
        run_command(FIXTURES / "leads-generic.csv", org="nope")
    with pytest.raises(CommandError, match="--owner"):
        run_command(FIXTURES / "leads-generic.csv", owner="ghost@acme.test")
    with pytest.raises(CommandError, match="FILE"):
        run_command("/nonexistent.csv")


@pytest.mark.parametrize(
    "headers, expected",
    [
        (
            ["Lead Name", "Phone", "Mobile", "Email", "Company", "Lead Source", "Lead Status"],  # Zoho
            {
                "0": "name",
                "1": "phone",
                "2": "phone",
                "3": "email",
                "4": "company",
                "5": "source",
                "6": "status",
            },
        ),
        (
            [
                "First Name",
                "Last Name",
                "Email",
                "Phone Number",
                "Mobile Phone Number",
                "Company Name",
            ],  # HubSpot
            {"0": "first_name", "1": "last_name", "2": "email", "3": "phone", "4": "phone", "5": "company"},
        ),
        (
            [
                "SENDER_NAME",
                "SENDER_MOBILE",
                "SENDER_EMAIL",
                "SENDER_COMPANY",
                "SENDER_CITY",
                "QUERY_MESSAGE",
            ],  # IndiaMART
            {"0": "name", "1": "phone", "2": "email", "3": "company", "4": "city", "5": "notes"},
        ),
        (
            ["Customer Name", "Contact No.", "Mobile No", "Remarks"],  # hand-made
            {"0": "name", "1": "phone", "2": "phone", "3": "notes"},
        ),
        (
            ["full_name", "phone_number", "email", "city", "ad_name"],  # Facebook Lead Ads
            {"0": "name", "1": "phone", "2": "email", "3": "city"},
        ),
    ],
)
def test_header_mapping_for_common_exports(headers, expected):
    assert guess_mapping(headers) == expected


def test_header_normalisation():
    assert normalise_header("  Mobile_No. ") == "mobile no"


def test_imported_leads_go_round_the_rules_and_fire_webhooks(acme, tmp_path, settings):
    from leadtracker.leads.actions.assignment import save_assignment_rule
    from leadtracker.leads.actions.settings import save_webhook
    from leadtracker.leads.models import WebhookDelivery

    settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = True
    save_assignment_rule(
        acme.org, name="RR", agent_ids=[acme.alice.user_id, acme.bob.user_id], actor=Actor.system()
    )
    save_webhook(acme.org, url="http://127.0.0.1:9/hook", events=["lead.created"], actor=Actor.system())
    path = write(tmp_path, "rr.csv", "Name,Phone\n" + "".join(f"L{i},98765 4321{i}\n" for i in range(5)))
    counts = import_file(acme.org, str(path), actor=Actor.system())
    assert counts.created == 5
    owners = list(
        Lead.objects.filter(organisation=acme.org).order_by("pk").values_list("owner_id", flat=True)
    )
    assert owners == [acme.alice.user_id, acme.bob.user_id] * 2 + [acme.alice.user_id]
    assert acme.org.assignment_rules.get().turn == 5
    assert WebhookDelivery.objects.filter(event="lead.created").count() == 5


def test_import_respects_the_importers_team(acme, tmp_path):
    path = tmp_path / "team.csv"
    path.write_text("Name,Phone,Owner\nA,9876543210,bob@acme.test\nB,9876543211,carl@acme.test\n")
    errors = []
    counts = import_file(acme.org, str(path), actor=Actor.system(), issue_sink=errors.append)
    assert counts.created == 2  # the command line may give leads to anyone
    path.write_text("Name,Phone,Owner\nC,9876543212,bob@acme.test\nD,9876543213,carl@acme.test\n")
    from leadtracker.leads.imports.importer import Importer
    from leadtracker.leads.imports.mapping import guess_mapping
    from leadtracker.leads.imports.reader import open_table

    table = open_table(str(path))
    importer = Importer(
        acme.org,
        mapping=guess_mapping(table.headers),
        actor=Actor.system(),
        by=acme.mani,
        issue_sink=errors.append,
    )
    counts = importer.run(table)
    table.close()
    # carl is not in mani's team: the row is still a lead, carl does not get it, and why is a
    # warning on the row's owner column.
    assert counts.created == 2 and counts.errors == 0 and counts.warnings == 1
    assert (errors[-1].kind, errors[-1].column, errors[-1].value) == ("warning", "Owner", "carl@acme.test")
    assert errors[-1].reason.startswith("a member outside your team; assigned by the rules")
    assert Lead.objects.get(organisation=acme.org, name="D").owner_id != acme.carl.user_id


def test_import_keeps_a_row_with_one_good_number_and_reads_past_a_broken_line(acme, tmp_path):
    path = tmp_path / "messy.csv"
    path.write_bytes(b"Name,Mobile,Alt Phone\nRaj,9876543210,N/A\nBad\x00Line,1,2\nAnita,9123456789,\n")
    errors = []
    counts = import_file(acme.org, str(path), actor=Actor.system(), issue_sink=errors.append)
    assert counts.created == 2 and counts.rows == counts.created + counts.errors
    raj = Lead.objects.get(organisation=acme.org, name="Raj")
    assert raj.extra["invalid_numbers"] == "N/A"
