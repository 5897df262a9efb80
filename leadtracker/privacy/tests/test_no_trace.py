"""No trace: after erasing a lead, no text column of any table holds their name, any form of
any of their numbers or their e-mail — the audit log, the task queue, webhook deliveries and
import reports included — and on SQLite not even the database file after VACUUM. Another lead
is untouched, and call counts and durations are what they were."""

import csv
from pathlib import Path

import pytest
from django.db import connection

from leadtracker.accounts.audit import Actor
from leadtracker.leads.models import ImportJob, Lead
from leadtracker.privacy.erasure.actions import erase_lead
from leadtracker.privacy.tests.erasure_util import (
    E164,
    EMAIL,
    NAME,
    build_person,
    call_figures,
    needles,
    scan_database,
    snapshot,
    sqlite_file,
)


@pytest.mark.django_db(transaction=True)
def test_an_erased_lead_leaves_no_trace_in_any_table_or_file(acme, ledger_file):
    person = build_person(acme)
    strings = needles()
    # The scanner finds them before: it is not blind to where they sit.
    before = scan_database(strings)
    for where in (
        "leads_lead.name",
        "leads_leadphone.e164",
        "calls_call.number",
        "privacy_datarequest.requested_by",
        "accounts_notification.text",
        "leads_followup.note",
        "leads_activity.body",
        "leads_consentevent.note",
    ):
        assert any(hit.startswith(where) for hit in before), (where, before)
    assert any(hit.startswith("django_tasks_database_dbtaskresult.args_kwargs") for hit in before), before
    other_before = snapshot(person.other)

    counts = erase_lead(person.lead, actor=Actor.for_user(acme.olga.user), by=acme.olga)

    assert counts["calls"] == 3 and counts["phones"] == 3, counts
    assert scan_database(strings) == []
    # Other leads are untouched, and reports still add up.
    assert snapshot(person.other) == other_before
    assert call_figures(acme.org.pk) == person.calls_before
    erased = Lead.objects.get(pk=person.lead.pk)
    assert erased.erased_at is not None and erased.name == "" and erased.do_not_call
    # Files: the error report kept Meena's row (if any) but not the person's; the upload is gone.
    job = ImportJob.objects.get(organisation=acme.org)
    assert job.stored_path == ""
    if job.error_report_path:
        text = Path(job.error_report_path).read_text(encoding="utf-8-sig")
        assert not any(s.casefold() in text.casefold() for s in strings), text
        assert list(csv.reader(text.splitlines()))[0][:5] == ["kind", "row", "column", "value", "reason"]
    assert not any(s.casefold() in str(job.first_issues).casefold() for s in strings), job.first_issues
    # The ledger file holds hashes, not the person.
    ledger_text = ledger_file.read_text()
    assert ledger_text.count("\n") == 1
    assert not any(s.casefold() in ledger_text.casefold() for s in strings)

    if connection.vendor == "sqlite":
        data = sqlite_file()
        for s in strings:
            for variant in {s, s.lower(), s.upper()}:
                assert variant.encode() not in data, s
        # The control: the other lead's name is in the file, so the search does find text.
        assert b"Meena Iyer" in data


@pytest.mark.django_db(transaction=True)
def test_the_scanner_finds_what_is_left(acme, ledger_file):
    """The check above can fail: the same scan after erasing someone else finds our person."""
    person = build_person(acme)
    erase_lead(person.other, actor=Actor.system())
    hits = scan_database({NAME, EMAIL, E164[0]})
    assert any(h.startswith("leads_lead.name") for h in hits)
    assert any(h.startswith("calls_call.number") for h in hits)
