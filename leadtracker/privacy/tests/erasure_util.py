"""A person spread over every place the application keeps data, for the erasure tests, and a
scanner that looks for them in every text column of every table of the database."""

import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path

from django.db import connection
from django.test import Client
from django.utils import timezone
from django_tasks import task

from leadtracker.accounts.audit import Actor
from leadtracker.calls import actions as call_actions
from leadtracker.calls.models import Call
from leadtracker.leads.actions.follow_ups import schedule_follow_up
from leadtracker.leads.actions.leads import LeadData, add_note, create_lead
from leadtracker.leads.models import ImportJob, WebhookEndpoint
from leadtracker.lib.phones import display
from leadtracker.privacy.requests.actions import create_request
from leadtracker.testing import token_client

NAME = "राजेश कुमार शर्मा"
EMAIL = "Rajesh.Sharma@Example.IN"
# As a person types them into the lead form: three numbers, three habits.
RAW_NUMBERS = ["098765 43210", "+91-91234-56789", "(080) 2345 6789"]
E164 = ["+919876543210", "+919123456789", "+918023456789"]


def forms_of(e164: str, raw: str) -> set[str]:
    """Every way the tests look for a number: E.164, +91 spaced, national, raw, last ten digits."""
    return {e164, display(e164), e164[3:], raw, e164[-10:]}


def needles() -> set[str]:
    found = {NAME, EMAIL, EMAIL.lower()}
    for e164, raw in zip(E164, RAW_NUMBERS, strict=True):
        found |= forms_of(e164, raw)
    return found


@task()
def remind_about(text: str) -> str:
    """A job whose arguments carry a person's details, as a careless job could."""
    return text


def open_shift(member, hours_ago=8):
    from leadtracker.attendance.models import Shift

    return Shift.objects.create(
        organisation_id=member.organisation_id,
        user_id=member.user_id,
        started_at=timezone.now() - dt.timedelta(hours=hours_ago),
    )


def paired_client(member):
    _code, raw = call_actions.create_pairing_code(member, actor=Actor.system(), by=None)
    _device, token = call_actions.pair_device(raw, name="Alice's phone", actor=Actor.system())
    return Client(HTTP_AUTHORIZATION=f"Bearer {token}")


@dataclass
class Person:
    lead: object
    other: object
    calls_before: dict = field(default_factory=dict)


def call_figures(org_id) -> dict:
    """What reports add up: calls per lead, agent and status, with their total duration."""
    rows = Call.objects.filter(organisation_id=org_id).values_list(
        "lead_id", "user_id", "status", "duration_s"
    )
    figures: dict = {}
    for lead_id, user_id, status, duration in rows:
        key = f"{lead_id}/{user_id}/{status}"
        count, total = figures.get(key, (0, 0))
        figures[key] = (count + 1, total + duration)
    return figures


def _sync_calls(alice) -> None:
    """Calls through the real sync API, with the contact name the phone knows them by."""
    open_shift(alice)
    phone = paired_client(alice)
    now = timezone.now().replace(microsecond=0)
    rows = []
    for n, (number, kind, duration) in enumerate(
        [
            (RAW_NUMBERS[0], "outgoing", 125),
            ("9123456789", "missed", 0),
            ("+918023456789", "incoming", 48),
            ("9000000001", "outgoing", 300),
        ]
    ):
        rows.append(
            {
                "device_call_id": str(5000 + n),
                "number": number,
                "type": kind,
                "started_at": (now - dt.timedelta(hours=2, minutes=10 * n)).isoformat(),
                "duration_s": duration,
                "contact_name": NAME if n < 3 else "Meena Iyer",
            }
        )
    response = phone.post("/api/v1/calls/sync", {"calls": rows}, content_type="application/json")
    assert response.status_code == 200, response.content


def _import_with_an_error_row(org, olga) -> None:
    """An import whose error report holds their row: a number with digits too many and an
    e-mail that is not one leave nothing to reach them by, so the row is an error."""
    from leadtracker.leads.imports.jobs import import_dir, run_import_job

    path = import_dir() / f"people-{org.slug}.csv"
    path.write_text(
        f"Name,Phone,Email\n{NAME},{RAW_NUMBERS[1]}0000,not-an-email\n"
        "Meena Iyer,9000000001,meena@example.in\n"
    )
    job = ImportJob.objects.create(
        organisation=org,
        created_by=olga.user,
        file_name="people.csv",
        stored_path=str(path),
        headers=["Name", "Phone", "Email"],
        mapping={"0": "name", "1": "phone", "2": "email"},
        state="queued",
    )
    run_import_job(job.pk)
    job.refresh_from_db()
    assert job.errors >= 1 and job.error_report_path, job.summary()


def build_person(people) -> Person:
    """The person to erase, with data everywhere, and another lead that must stay untouched."""
    org, olga, alice = people.org, people.olga, people.alice
    WebhookEndpoint.objects.create(
        organisation=org, url="https://hooks.example.in/leads", secret="s" * 64, events=["lead.created"]
    )
    actor = Actor.for_user(olga.user)
    lead, _ = create_lead(
        org,
        LeadData(
            name=NAME,
            email=EMAIL,
            phones=list(RAW_NUMBERS),
            company="Sharma Traders",
            city="Jaipur",
            address="12 Hawa Mahal Road",
            owner_id=alice.user_id,
        ),
        actor=actor,
        by=olga,
    )
    other, _ = create_lead(
        org,
        LeadData(
            name="Meena Iyer", email="meena@example.in", phones=["+919000000001"], owner_id=alice.user_id
        ),
        actor=actor,
        by=olga,
    )
    add_note(lead, "Wants 2 lorries 🚚 before Diwali; call Rajesh on 98765 43210", actor=actor, by=olga)
    add_note(other, "Meena prefers mornings", actor=actor, by=olga)
    # Consent history whose note names them (the unsubscribe link writes one without a note).
    from leadtracker.leads.consent import set_lead_consent

    set_lead_consent(lead, given=True, method="phone", actor=actor, by=olga, note=f"{NAME} agreed on {EMAIL}")
    follow_up = schedule_follow_up(
        lead,
        due_at=timezone.now() + dt.timedelta(days=2),
        note=f"Ring {NAME} about the quote",
        actor=actor,
        by=olga,
    )
    # Its reminder: an in-app notification naming the lead ("Call with … at …").
    from leadtracker.leads.reminders import send_due_reminders

    assert send_due_reminders(now=follow_up.due_at - dt.timedelta(minutes=5)) == 1
    _sync_calls(alice)
    # Looked up by number through the API (searches may be audited).
    api = token_client(olga)
    assert api.get("/api/v1/leads", {"q": "98765 43210"}).status_code == 200
    # A job queued with their details.
    remind_about.enqueue(f"Call {NAME} on {E164[0]} / {EMAIL}")
    _import_with_an_error_row(org, olga)
    # A data request naming who asked, and what they wrote.
    create_request(
        org,
        actor=actor,
        kind="erasure",
        requested_by=f"{NAME} (self)",
        channel="email",
        lead=lead,
        details=f"Please delete everything about me. My numbers: {RAW_NUMBERS[0]}, {E164[1]}; mail {EMAIL}",
        verification_note=f"Replied from {EMAIL}",
    )
    return Person(lead=lead, other=other, calls_before=call_figures(org.pk))


def _texts(value) -> list[str]:
    if value is None or isinstance(value, int | float | bool | dt.datetime | dt.date):
        return []
    if isinstance(value, memoryview | bytes):
        return [bytes(value).decode("utf-8", "ignore")]
    if isinstance(value, dict | list):
        return [json.dumps(value, ensure_ascii=False)]
    text = str(value)
    out = [text]
    if text[:1] in '{["':
        try:
            out.append(json.dumps(json.loads(text), ensure_ascii=False))
        except ValueError:
            pass
    return out


def scan_database(strings) -> list[str]:
    """Where any of ``strings`` occurs in any column of any table (every table of the database,
    not only our models), case-insensitively: "table.column: needle"."""
    lowered = {s: s.casefold() for s in strings}
    found = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            columns = [c.name for c in connection.introspection.get_table_description(cursor, table)]
            quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
            cursor.execute(f"SELECT {quoted} FROM {connection.ops.quote_name(table)}")  # noqa: S608
            for row in cursor.fetchall():
                for column, value in zip(columns, row, strict=True):
                    for text in _texts(value):
                        low = text.casefold()
                        found += [f"{table}.{column}: {s}" for s, s_low in lowered.items() if s_low in low]
    return sorted(set(found))


def sqlite_file() -> bytes:
    """The SQLite database file as a copy of it would hold it: the write-ahead log folded in and
    the freed pages dropped (VACUUM), so that erased text left in either is found."""
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        cursor.execute("VACUUM")
        cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return Path(connection.settings_dict["NAME"]).read_bytes()


def snapshot(lead) -> dict:
    """A lead and everything hanging from it, as plain values, to compare before and after."""
    from leadtracker.leads.models import Activity, FollowUp, Lead, LeadPhone

    return {
        "lead": Lead.objects.filter(pk=lead.pk).values().get(),
        "phones": list(LeadPhone.objects.filter(lead=lead).values().order_by("pk")),
        "activities": list(Activity.objects.filter(lead=lead).values().order_by("pk")),
        "follow_ups": list(FollowUp.objects.filter(lead=lead).values().order_by("pk")),
        "calls": list(Call.objects.filter(lead=lead).values().order_by("pk")),
    }
