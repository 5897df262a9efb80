"""Every CSV and XLSX the app hands out is formula-safe, and each download records one audit event.

Hostile values — a live formula (=HYPERLINK), a DDE command (+cmd|…), arithmetic (-2+3), an @
function, a leading tab and a leading carriage return — are stored in every text field a
person can type that an export shows: lead name, company, e-mail, city, address, lost reason,
extra fields, tags, notes, follow-up notes and outcomes, call notes, outcomes
names, source and status names, member names and e-mails (managers' names are the team
names), user agents and object ids in the audit log, and an uploaded file's headers and
cells (web, API and the import command). Then every export in EXPORTS is downloaded and each
of its cells is checked: none may start with = + - @ tab or CR unless it is phone numbers in
E.164 (the one exception, lib/spreadsheet.py's rule), no XLSX cell may be a formula, and each
export must show the hostile values it holds, escaped — a file without them would prove nothing.

EXPORTS is the list of everything the app offers. Two walks keep it complete: every URL whose
path or name speaks of csv, xlsx, export, report, download or errors must be in it (or in
NOT_FILES, with the reason), and every place in the code that answers a file through the one
writer (lib/spreadsheet.py's csv_response / xlsx_response) or writes a CSV with it must be
named by an export here. A file written any other way (csv.writer, openpyxl's Workbook, a
hand-set Content-Disposition) fails the last test.
"""

import ast
import csv
import datetime as dt
import io
import re
import zipfile
from pathlib import Path

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import URLResolver, get_resolver
from django.utils import timezone

from leadtracker.accounts.audit import Actor, record
from leadtracker.accounts.models import AuditEvent, User
from leadtracker.calls.models import Call, Outcome
from leadtracker.leads.actions.follow_ups import schedule_follow_up
from leadtracker.leads.actions.leads import add_note
from leadtracker.leads.imports.jobs import run_import_job
from leadtracker.leads.models import Activity, FollowUp, ImportJob, Lead, LeadSource, LeadStatus, LeadTag, Tag
from leadtracker.privacy.export.tasks import build_export
from leadtracker.privacy.models import AccessExport
from leadtracker.reports.tests.busy_day import busy_day
from leadtracker.testing import login_client, make_lead, token_client

HOSTILE = ['=HYPERLINK("http://x","y")', "+cmd|' /C calc'!A0", "-2+3", "@SUM(1)", "\tx", "\rx"]
STARTS = ("=", "+", "-", "@", "\t", "\r")
# The one exception of the rule: numbers in E.164 (one, or several separated by a space).
PHONES = re.compile(r"\+[1-9]\d{5,14}(?: \+[1-9]\d{5,14})*")
ROOT = Path(__file__).resolve().parents[1]


def h(i: int) -> str:
    return HOSTILE[i % len(HOSTILE)]


# name -> (what it is, the URL route it is downloaded from or the code that writes it, the
# audit action its download records, how many of the hostile values it must show escaped).
# A route with ?format= is an export of a page's URL; "command" exports are written to a file.
ALL = len(HOSTILE)
EXPORTS = {
    "leads CSV (web)": ("leads/export/", "lead.export", ALL),
    "leads XLSX (web)": ("leads/export/", "lead.export", ALL),
    "leads CSV (API)": ("api/v1/leads/export", "lead.export", ALL),
    "leads XLSX (API)": ("api/v1/leads/export", "lead.export", ALL),
    "campaign CSV (web)": ("leads/export/campaign/", "lead.export", ALL),
    "campaign XLSX (web)": ("leads/export/campaign/", "lead.export", ALL),
    "campaign CSV (API)": ("api/v1/leads/export", "lead.export", ALL),
    "calls CSV": ("calls/", "call.export", ALL),
    "dashboard agents CSV": ("dashboard/data.csv", "dashboard.export", 3),
    "dashboard sources CSV": ("dashboard/data.csv", "dashboard.export", 2),
    "dashboard funnel CSV": ("dashboard/data.csv", "dashboard.export", 2),
    # Dates, hours and figures only: walked all the same.
    "dashboard daily CSV": ("dashboard/data.csv", "dashboard.export", 0),
    "dashboard hours CSV": ("dashboard/data.csv", "dashboard.export", 0),
    "timesheet CSV": ("attendance/timesheets/", "timesheet.export", 3),
    "audit log CSV": ("audit/export.csv", "audit.export", ALL),
    "import error report (web)": ("leads/import/<int:import_id>/errors/", "import_report.export", ALL),
    "import error report (API)": ("api/v1/imports/<import_id>/errors", "import_report.export", ALL),
    "access export zip of a lead (web)": (
        "settings/privacy/exports/<int:export_id>/download/",
        "access_export.downloaded",
        ALL,
    ),
    "access export zip of a member (API)": (
        "api/v1/privacy/exports/<export_id>/download",
        "access_export.downloaded",
        2,
    ),
    "import_leads --errors report": ("command", None, ALL),
    # The sample sheet offered where the lead list is empty: fixed example rows, no hostile value.
    "import sample sheet": ("leads/import/sample.csv", "import_sample.download", 0),
}

# Routes that speak of exports or reports but hand out no spreadsheet, and why.
NOT_FILES = {
    "api/v1/privacy/exports": "prepares an access export and lists them (JSON)",
    "api/v1/privacy/exports/<export_id>": "an access export's state (JSON)",
    "settings/privacy/exports/": "the page listing access exports",
    "settings/privacy/exports/<int:export_id>/": "an access export's page",
    "settings/privacy/requests/<int:request_id>/export/": "prepares an access export (POST), else its page",
}

# Where the code answers or writes a spreadsheet through lib/spreadsheet.py, and the exports
# above that come from there (module, function) -> names.
WRITERS = {
    ("leads/export.py", "export_response"): [n for n in EXPORTS if n.startswith(("leads", "campaign"))],
    ("leads/export.py", "error_report_response"): ["import error report (web)", "import error report (API)"],
    ("calls/views.py", "calls_list"): ["calls CSV"],
    ("reports/views.py", "dashboard_csv"): [n for n in EXPORTS if n.startswith("dashboard")],
    ("attendance/views.py", "timesheets"): ["timesheet CSV"],
    ("accounts/views.py", "audit_export"): ["audit log CSV"],
    ("leads/imports/report.py", "error_report"): ["import error report (web)"],
    ("leads/views/imports.py", "import_sample"): ["import sample sheet"],
    ("leads/imports/report.py", "__init__"): ["import error report (web)", "import error report (API)"],
    ("leads/management/commands/import_leads.py", "handle"): ["import_leads --errors report"],
    ("privacy/export/archive.py", "_write_kind"): [n for n in EXPORTS if n.startswith("access export")],
    # Rewrites a stored import report without an erased person's rows: what it writes is
    # served by the import error report downloads above.
    ("privacy/erasure/erasers.py", "_rewrite_report"): ["import error report (web)"],
}
WRITER_CALLS = {"csv_response", "xlsx_response", "CsvWriter"}
FILE_WORDS = re.compile(r"csv|xlsx|export|report|download|errors", re.IGNORECASE)


# --- the hostile organisation ---------------------------------------------------------------


def hostile_csv() -> bytes:
    """An upload whose headers and cells are all hostile; each row's phone is no number, so
    every row is an error and the report repeats all of its cells."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, quoting=csv.QUOTE_ALL)
    writer.writerow([f"{h(i)} column {i}" for i in range(6)])
    for r in range(6):
        writer.writerow([f"{h(r + i)} cell {r}.{i}" for i in range(6)])
    return buffer.getvalue().encode()


def upload_mapping():
    return {"0": "name", "1": "phone", "2": "company", "3": "city", "4": "notes", "5": "tags"}


@pytest.fixture
def org(acme, settings, tmp_path):
    settings.PRIVATE_FILES_DIR = tmp_path / "private"
    settings.API_RATE_AUTHENTICATED = "100000/m"
    people = acme
    busy_day(people)  # calls synced by paired phones during shifts; the dashboard's roll-ups
    make_lead(people, name="Fifth", phone="98765 10005", actor=Actor.system(), owner=people.alice)
    make_lead(people, name="Sixth", phone="98765 10006", actor=Actor.system(), owner=people.bob)
    o = people.org
    keys = ["olga", "adam", "maya", "mark", "mani", "alice", "bob", "carl"]
    for i, key in enumerate(keys):
        User.objects.filter(pk=getattr(people, key).user_id).update(full_name=f"{h(i)} {key}")
    User.objects.filter(pk=people.bob.user_id).update(email="-bob@acme.test")
    User.objects.filter(pk=people.carl.user_id).update(email="=carl@acme.test")
    statuses = list(LeadStatus.objects.filter(organisation=o).order_by("pk"))
    for i, status in enumerate(statuses):
        LeadStatus.objects.filter(pk=status.pk).update(name=f"{h(i)} status {i}")
    sources = [LeadSource.objects.create(organisation=o, name=f"{h(i)} source {i}") for i in range(6)]
    tags = [Tag.objects.create(organisation=o, name=f"{h(i)} tag {i}") for i in range(6)]
    outcomes = [Outcome.objects.create(organisation=o, name=f"{h(i)} outcome {i}") for i in range(6)]
    leads = list(Lead.objects.filter(organisation=o).order_by("pk"))
    assert len(leads) == 6
    actor = Actor.for_user(people.olga.user)
    open_statuses = [s for s in statuses if s.kind == "open"]
    for i, lead in enumerate(leads):
        # Straight into the table: what is stored, however it got there, is what is exported.
        Lead.objects.filter(pk=lead.pk).update(
            name=h(i),
            company=h(i + 1),
            email=h(i + 2),
            city=h(i + 3),
            address=h(i + 4),
            lost_reason=h(i + 5),
            extra={"budget": h(i)},
            source=sources[i],
            # Open statuses only: the list and its export show open leads unless asked.
            status=open_statuses[i % len(open_statuses)],
            marketing_consent=True,
        )
        LeadTag.objects.create(organisation=o, lead=lead, tag=tags[i])
        add_note(lead, "a note", actor=actor, by=people.olga)
        schedule_follow_up(
            lead, due_at=timezone.now() + dt.timedelta(days=1), note="call", actor=actor, by=people.olga
        )
    for i, activity in enumerate(Activity.objects.filter(organisation=o, kind="note").order_by("pk")):
        Activity.objects.filter(pk=activity.pk).update(body=h(i))
    for i, follow_up in enumerate(FollowUp.objects.filter(organisation=o).order_by("pk")):
        FollowUp.objects.filter(pk=follow_up.pk).update(note=h(i), outcome=h(i + 1))
    calls = list(Call.objects.filter(organisation=o).order_by("pk"))
    assert len(calls) >= 6
    for i, call in enumerate(calls):
        Call.objects.filter(pk=call.pk).update(note=h(i), outcome=outcomes[i % 6])
    for i in range(6):
        record(
            "lead.view",
            organisation=o,
            actor=Actor.for_user(getattr(people, keys[i]).user) if i % 2 else Actor(user_agent=h(i)),
            object_type="lead",
            object_id=h(i + 1),
        )
    return people


def imported(people, client, *, web: bool) -> ImportJob:
    upload = SimpleUploadedFile("hostile.csv", hostile_csv(), "text/csv")
    if web:
        assert client.post("/leads/import/", {"file": upload}).status_code == 302
        job = ImportJob.objects.latest("id")
        choices = {f"col{i}": field for i, field in upload_mapping().items()}
        assert client.post(f"/leads/import/{job.pk}/", choices).status_code == 302
    else:
        answer = client.post("/api/v1/imports", {"file": upload})
        assert answer.status_code in (200, 201), answer.content
        job = ImportJob.objects.get(pk=answer.json()["id"])
        started = client.post(
            f"/api/v1/imports/{job.pk}/start", {"mapping": upload_mapping()}, content_type="application/json"
        )
        assert started.status_code == 200, started.content
    run_import_job(job.pk)
    job.refresh_from_db()
    assert job.errors == 6 and job.created == 0, job.summary()
    return job


def access_export(people, **subject) -> int:
    export = AccessExport.objects.create(organisation=people.org, **subject)
    assert build_export(export.pk) == "ready"
    return export.pk


# --- reading what was handed out --------------------------------------------------------------


def body(response) -> bytes:
    if getattr(response, "streaming", False):
        # The test client closes the response once its content is read.
        return b"".join(response.streaming_content)
    return response.content


def csv_cells(data: bytes) -> list[str]:
    text = data.decode("utf-8")
    assert text.startswith("\ufeff")  # Excel reads it as UTF-8
    return [c for row in csv.reader(io.StringIO(text[1:], newline="")) for c in row]


def xlsx_cells(data: bytes) -> list[str]:
    cells = []
    for sheet in openpyxl.load_workbook(io.BytesIO(data)).worksheets:
        for row in sheet.iter_rows():
            for c in row:
                # A formula cell (data_type "f") reads as its text, "=…": unsafe() finds it.
                if isinstance(c.value, str):
                    # Reading XML turns a CR into a LF: "\nx" (or "'\nx") was written "\rx".
                    cells.append(re.sub(r"^('?)\n", "\\1\r", c.value))
    return cells


def zip_cells(data: bytes) -> list[str]:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        names = [n for n in zf.namelist() if n.endswith(".csv")]
        assert names
        return [c for n in names for c in csv_cells(zf.read(n))]


def unsafe(cells: list[str]) -> list[str]:
    return [c for c in cells if c.startswith(STARTS) and not PHONES.fullmatch(c)]


def shown(cells: list[str]) -> set[str]:
    """The hostile values the file shows, escaped."""
    return {v for v in HOSTILE if any(c.startswith("'" + v) for c in cells)}


# --- the walk ---------------------------------------------------------------------------------


def test_every_export_escapes_every_hostile_value_and_records_one_event(org, tmp_path):
    people = org
    web, api = login_client(people.olga), token_client(people.olga)
    web_job = imported(people, login_client(people.maya), web=True)
    api_job = imported(people, api, web=False)
    lead_export = access_export(people, lead=Lead.objects.filter(organisation=people.org).earliest("pk"))
    member_export = access_export(people, member=people.alice)
    today = timezone.now().astimezone(people.org.tzinfo).date()
    week = f"from={today - dt.timedelta(days=6)}&to={today}"
    command_report = tmp_path / "errors.csv"
    upload = tmp_path / "hostile.csv"
    upload.write_bytes(hostile_csv())

    # name -> (client, URL, how to read it)
    downloads = {
        "leads CSV (web)": (web, "/leads/export/?format=csv", csv_cells),
        "leads XLSX (web)": (web, "/leads/export/?format=xlsx", xlsx_cells),
        "leads CSV (API)": (api, "/api/v1/leads/export?format=csv", csv_cells),
        "leads XLSX (API)": (api, "/api/v1/leads/export?format=xlsx", xlsx_cells),
        "campaign CSV (web)": (web, "/leads/export/campaign/?format=csv", csv_cells),
        "campaign XLSX (web)": (web, "/leads/export/campaign/?format=xlsx", xlsx_cells),
        "campaign CSV (API)": (api, "/api/v1/leads/export?format=csv&campaign=true", csv_cells),
        "calls CSV": (web, "/calls/?format=csv", csv_cells),
        "timesheet CSV": (web, f"/attendance/timesheets/?format=csv&{week}", csv_cells),
        "audit log CSV": (web, "/audit/export.csv", csv_cells),
        "import error report (web)": (web, f"/leads/import/{web_job.pk}/errors/", csv_cells),
        "import sample sheet": (web, "/leads/import/sample.csv", csv_cells),
        "import error report (API)": (api, f"/api/v1/imports/{api_job.pk}/errors", csv_cells),
        "access export zip of a lead (web)": (
            web,
            f"/settings/privacy/exports/{lead_export}/download/",
            zip_cells,
        ),
        "access export zip of a member (API)": (
            api,
            f"/api/v1/privacy/exports/{member_export}/download",
            zip_cells,
        ),
    }
    for chart in ("agents", "sources", "funnel", "daily", "hours"):
        downloads[f"dashboard {chart} CSV"] = (web, f"/dashboard/data.csv?range=7d&chart={chart}", csv_cells)
    assert set(downloads) | {"import_leads --errors report"} == set(EXPORTS)

    problems, seen, recorded = {}, {}, {}
    for name, (client, url, read) in downloads.items():
        last = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first()
        response = client.get(url, HTTP_USER_AGENT=h(len(name)))
        assert response.status_code == 200, (name, response.status_code, body(response)[:300])
        cells = read(body(response))
        recorded[name] = list(AuditEvent.objects.filter(pk__gt=last).values_list("action", flat=True))
        problems[name], seen[name] = unsafe(cells), shown(cells)

    call_command("import_leads", str(upload), org="acme", errors=str(command_report), stderr=io.StringIO())
    cells = csv_cells(command_report.read_bytes())
    problems["import_leads --errors report"] = unsafe(cells)
    seen["import_leads --errors report"] = shown(cells)

    assert not {name: cells for name, cells in problems.items() if cells}, "cells a spreadsheet would run"
    # One event for each download, never none and never two.
    assert recorded == {name: [action] for name, (_route, action, _n) in EXPORTS.items() if action}
    too_few = {
        name: sorted(values)
        for name, values in seen.items()
        if len(values) < EXPORTS[name][2] or (EXPORTS[name][2] == ALL and values != set(HOSTILE))
    }
    assert not too_few, f"exports that do not show the hostile values they hold: {too_few}"


def routes(patterns, prefix=""):
    """Every route of the site and the API (django-ninja's included), with its name."""
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from routes(entry.url_patterns, prefix + str(entry.pattern))
        else:
            yield prefix + str(entry.pattern), entry.name or ""


def test_every_route_that_offers_a_file_is_walked():
    offered = {r: name for r, name in routes(get_resolver().url_patterns) if FILE_WORDS.search(f"{r} {name}")}
    # The calls list and the timesheets page answer ?format=csv: the next test finds those.
    by_query = {"command", "calls/", "attendance/timesheets/"}
    listed = {route for route, _action, _n in EXPORTS.values()} - by_query
    unknown = {r: name for r, name in offered.items() if r not in listed and r not in NOT_FILES}
    assert not unknown, f"a new download? walk it in EXPORTS, or say in NOT_FILES why it is none: {unknown}"
    gone = (listed | set(NOT_FILES)) - set(offered)
    assert not gone, f"listed but no longer routed: {gone}"


def writer_uses():
    """(module, function) of every call of the one writer's entry points, outside tests."""
    found = set()
    for path in ROOT.rglob("*.py"):
        rel = path.relative_to(ROOT).as_posix()
        if "/tests/" in f"/{rel}" or "/migrations/" in rel or rel == "lib/spreadsheet.py":
            continue
        source = path.read_text(encoding="utf-8")
        if not any(name in source for name in WRITER_CALLS):
            continue  # a call names its callee: a file that never does is not parsed
        tree = ast.parse(source)
        for function in ast.walk(tree):
            if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            for node in ast.walk(function):
                if isinstance(node, ast.Call):
                    func = node.func
                    callee = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
                    if callee in WRITER_CALLS:
                        found.add((rel, function.name))
    return found


def test_every_use_of_the_writer_is_an_export_walked_here():
    uses = writer_uses()
    unknown = uses - set(WRITERS)
    assert not unknown, (
        f"a new export through lib/spreadsheet.py? walk it in EXPORTS, name it in WRITERS: {unknown}"
    )
    assert set(WRITERS) - uses == set(), f"named in WRITERS but no longer there: {set(WRITERS) - uses}"
    assert all(name in EXPORTS for names in WRITERS.values() for name in names)


HAND_WRITTEN = re.compile(
    r"csv\.writer\(|csv\.DictWriter\(|Workbook\(|Content-Disposition|StreamingHttpResponse\(|"
    r"FileResponse\(|text/csv|spreadsheetml"
)
# The access export's zip is built by privacy/export/archive.py with the writer's CsvWriter and stored;
# these two only send the stored file (and record its download). The phone-setup views send the
# device agent's wheel (a zip of Python code built at install time), which holds no data at all.
SENDS_A_STORED_FILE = {"privacy/export/views.py", "privacy/export/api.py", "calls/phone_setup/views.py"}


def test_no_spreadsheet_is_written_by_hand():
    hand_written = {}
    for path in ROOT.rglob("*.py"):
        rel = path.relative_to(ROOT).as_posix()
        if "/tests/" in f"/{rel}" or rel == "lib/spreadsheet.py":
            continue
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            match = HAND_WRITTEN.search(line)
            if match and not (rel in SENDS_A_STORED_FILE and match.group() == "FileResponse("):
                hand_written[f"{rel}:{n}"] = line.strip()
    assert not hand_written, f"write spreadsheets through lib/spreadsheet.py: {hand_written}"
