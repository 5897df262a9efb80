"""An import never loses a lead over a secondary column: what the organisation cannot take as
it stands (another CRM's status, an owner who is not a member, an amount, a date, an e-mail or
a second number that does not read) becomes a warning on a lead that is created anyway, with the
raw value kept in a note. Errors are only rows that cannot be a lead."""

import io
import json
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from leadtracker.leads.models import Activity, Lead

FIXTURES = Path(__file__).resolve().parents[3].parent / "shared" / "fixtures" / "lead-imports"


def run(path, *args, org="acme"):
    out, err = io.StringIO(), io.StringIO()
    call_command("import_leads", str(path), "--org", org, *args, stdout=out, stderr=err)
    return json.loads(out.getvalue().strip().splitlines()[-1]), err.getvalue()


def sheet(tmp_path, text, name="sheet.csv", encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def notes_of(lead):
    return "\n".join(Activity.objects.filter(lead=lead, kind="note").values_list("body", flat=True))


def test_the_real_estate_sheet_keeps_every_lead_and_reads_indian_budgets(acme):
    summary, err = run(FIXTURES / "realestate-budgets.csv")
    assert {k: summary[k] for k in ("rows", "created", "duplicates", "errors")} == {
        "rows": 9,
        "created": 6,
        "duplicates": 1,
        "errors": 2,
    }
    assert summary["warnings"] == err.count(": warning: ") > 0
    budgets = dict(Lead.objects.filter(organisation=acme.org).values_list("name", "value"))
    assert budgets == {
        "Amit Sharma": Decimal("4500000"),
        "सुनीता देवी": Decimal("6000000"),
        "Rohit Das": Decimal("12000000"),
        "Meena Pillai": Decimal("3500000"),
        "Farhan Ali": Decimal("25000000"),
        "Kiran Rao": Decimal("4000000"),  # the lower bound of 40-50 lakh
    }
    kiran = Lead.objects.get(organisation=acme.org, name="Kiran Rao")
    assert "Imported: Budget = 40-50 lakh" in notes_of(kiran)
    assert "Imported: Assigned To = Ravi Kumar" in notes_of(kiran)
    meena = Lead.objects.get(organisation=acme.org, name="Meena Pillai")
    assert meena.status.name == "Lost" and "Imported: Stage = Junk Lead" in notes_of(meena)
    # Only the two rows with nothing to reach them by are errors.
    errors = [line for line in err.splitlines() if ": error: " in line]
    assert [line.split(":")[0] for line in errors] == ["row 9", "row 10"]


def test_other_crms_status_words_become_our_statuses_with_a_warning(acme, tmp_path):
    path = sheet(
        tmp_path,
        "Lead Name,Mobile,Lead Status,Lifecycle Stage\n"
        "A,9876500001,IN_PROGRESS,lead\n"  # HubSpot's internal value
        "B,9876500002,Closed - Converted,customer\n"  # Salesforce
        "C,9876500003,  junk   LEAD ,lead\n"  # Zoho, case and spaces aside
        "D,9876500004,Contacted,lead\n"  # our own name: no warning
        "E,9876500005,Xyzzy,lead\n",  # nobody's word: the first open status
    )
    summary, err = run(path)
    assert (summary["created"], summary["errors"], summary["warnings"]) == (5, 0, 4)
    status = dict(Lead.objects.filter(organisation=acme.org).values_list("name", "status__name"))
    assert status == {"A": "Contacted", "B": "Won", "C": "Lost", "D": "Contacted", "E": "New"}
    # HubSpot's lifecycle stage is not a lead status: it stays with the lead as an extra detail.
    assert Lead.objects.get(organisation=acme.org, name="B").extra["Lifecycle Stage"] == "customer"
    assert "row 3: warning: Lead Status 'Closed - Converted': not a status here; imported as Won" in err


def test_owners_by_name_or_email_and_unknown_owners_never_refuse_a_row(acme, tmp_path):
    path = sheet(
        tmp_path,
        "Full Name,Phone,Lead Owner\n"
        "A,9876500001,Alice Acme\n"  # a member's name
        "B,9876500002,  BOB   acme \n"  # case and spaces aside
        "C,9876500003,carl@acme.test\n"  # a member's e-mail
        "D,9876500004,Ravi Kumar\n"  # not a member (yet)
        "E,9876500005,Ravi Kumar\n",
    )
    summary, err = run(path)
    assert (summary["created"], summary["errors"], summary["warnings"]) == (5, 0, 2)
    owners = dict(Lead.objects.filter(organisation=acme.org).values_list("name", "owner_id"))
    assert owners == {
        "A": acme.alice.user_id,
        "B": acme.bob.user_id,
        "C": acme.carl.user_id,
        "D": None,  # no assignment rule here: unowned
        "E": None,
    }
    assert "Imported: Lead Owner = Ravi Kumar" in notes_of(Lead.objects.get(organisation=acme.org, name="D"))


def test_the_command_line_maps_values(acme, tmp_path):
    path = sheet(
        tmp_path,
        "Name,Phone,Status,Owner\nA,9876500001,Junk Lead,Ravi Kumar\nB,9876500002,Hot,Someone Else\n",
    )
    summary, err = run(
        path,
        "--map-status",
        "Junk Lead=Negotiation",
        "--map-owner",
        "ravi kumar=bob@acme.test",
        "--unknown-owner",
        "none",
    )
    assert (summary["created"], summary["errors"], summary["warnings"]) == (2, 0, 2)
    a = Lead.objects.get(organisation=acme.org, name="A")
    assert (a.status.name, a.owner_id) == (
        "Negotiation",
        acme.bob.user_id,
    )  # the person's choices: no warning
    b = Lead.objects.get(organisation=acme.org, name="B")
    assert (b.status.name, b.owner_id) == ("Interested", None)
    assert "Someone Else" in err and "left unowned" in err


def test_a_mapping_that_names_nothing_is_refused_naming_it(acme, tmp_path):
    path = sheet(tmp_path, "Name,Phone,Status\nA,9876500001,Hot\n")
    with pytest.raises(CommandError, match="--map-status 'Hot': no status 'Warmish'"):
        run(path, "--map-status", "Hot=Warmish")
    with pytest.raises(CommandError, match="--map-owner"):
        run(path, "--map-owner", "nobody")
    assert not Lead.objects.filter(organisation=acme.org).exists()


def test_bad_secondary_values_are_warnings_and_left_empty(acme, tmp_path):
    path = sheet(
        tmp_path,
        "Name,Mobile,Alternate Phone,Email,Budget,Created Date\n"
        "A,9876500001,12345,not-an-email,about ten,31/02/2026\n"
        "B,,,b@example.in,1.2 crore,06/12/2026\n"
        "C,,,not-an-email,50k,\n",  # nothing usable to reach C by: the one error
    )
    summary, err = run(path)
    assert (summary["rows"], summary["created"], summary["errors"], summary["warnings"]) == (3, 2, 1, 4)
    a = Lead.objects.get(organisation=acme.org, name="A")
    assert (a.phone, a.email, a.value) == ("+919876500001", "", None)
    assert a.extra["invalid_numbers"] == "12345"
    assert "Imported: Email = not-an-email" in notes_of(a) and "Imported: Budget = about ten" in notes_of(a)
    b = Lead.objects.get(organisation=acme.org, name="B")
    assert b.value == Decimal("12000000") and b.created_at.date().isoformat() == "2026-12-05"  # IST midnight
    assert "row 4: error:" in err


def test_the_command_line_report_has_the_files_headings(acme, tmp_path):
    path = sheet(tmp_path, "Name,Mobile,Budget\nA,9876500001,lots\nB,12,\n")
    report = tmp_path / "report.csv"
    run(path, "--errors", str(report))
    lines = report.read_text(encoding="utf-8-sig").splitlines()
    assert lines == [
        "kind,row,column,value,reason,Name,Mobile,Budget",
        "error,3,Mobile,12,'12' is too short to be a phone number,B,12,",
        "warning,2,Budget,lots,not an amount; value left empty,A,9876500001,lots",
    ]


def test_a_row_whose_number_is_a_lead_is_a_duplicate_whatever_else_is_wrong(acme, tmp_path):
    run(sheet(tmp_path, "Name,Phone\nA,9876500001\n"))
    path = sheet(
        tmp_path,
        "Name,Phone,Email,Status,Owner,Value\nA again,+91 98765 00001,bad@,Nonsense,Nobody,lots\n",
        name="again.csv",
    )
    summary, _ = run(path)
    assert {k: summary[k] for k in ("duplicates", "errors", "created", "warnings")} == {
        "duplicates": 1,
        "errors": 0,
        "created": 0,
        "warnings": 0,  # a skipped duplicate's values are not used, so nothing was left out
    }


def test_counts_always_add_up(acme, tmp_path):
    lines = ["Name,Phone,Status,Owner,Budget"]
    for i in range(300):
        lines.append(
            f"L{i},98765{i % 250:05d},{['Hot', 'New', 'Junk Lead'][i % 3]},{'Ravi' if i % 7 else ''},{i} lakh"
        )
    lines.append("Nobody,,,,")
    lines[121] = '"Stray quote,9123400000,Hot,,10 lakh'  # must not swallow the rows after it
    path = sheet(tmp_path, "\n".join(lines) + "\n")
    summary, err = run(path)
    physical = len(path.read_text().splitlines()) - 1  # the header
    assert summary["rows"] == physical == 301
    assert (
        summary["rows"] == summary["created"] + summary["updated"] + summary["duplicates"] + summary["errors"]
    )
    assert (summary["created"], summary["duplicates"], summary["errors"]) == (249, 50, 2)
    assert "row 122: error: row: unclosed quote" in err
