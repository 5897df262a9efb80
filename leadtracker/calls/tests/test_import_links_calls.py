"""A missed call from a number that is nobody's lead waits as a call-back for the person whose
phone rang; when a sheet with that number is imported later, the new lead takes the calls and
the call-back, as a lead made any other way does — one batch, a few queries."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from leadtracker.accounts.audit import Actor
from leadtracker.calls.models import Call, CallBack
from leadtracker.leads.imports import importer
from leadtracker.leads.imports.importer import import_file
from leadtracker.leads.models import Lead
from leadtracker.testing import call, send

UNKNOWN = "+919812345678"


def test_an_imported_lead_takes_the_calls_of_its_number(acme, phone, tmp_path):
    body = send(
        phone,
        [
            call(1, number=UNKNOWN, type="missed", duration_s=0, minutes_ago=50),
            call(2, number="+919811100009", minutes_ago=35),
        ],
    ).json()
    assert body["stored"] == 2, body
    waiting = CallBack.objects.get(number=UNKNOWN)
    assert waiting.lead_id is None and waiting.assignee_id == acme.alice.user_id

    sheet = tmp_path / "leads.csv"
    rows = [f"Lead {i},98{i:08d}" for i in range(1500)] + ["Caller,98123 45678"]
    sheet.write_text("Name,Mobile\n" + "\n".join(rows) + "\n")
    counts = import_file(acme.org, str(sheet), actor=Actor.system(), owner=acme.bob.user)
    assert counts.created == 1501

    caller = Lead.objects.get(organisation=acme.org, name="Caller")
    assert Call.objects.get(number=UNKNOWN).lead_id == caller.pk
    waiting.refresh_from_db()
    assert (waiting.lead_id, waiting.assignee_id) == (caller.pk, acme.bob.user_id)
    assert Lead.objects.get(pk=caller.pk).last_contacted_at == Call.objects.get(number=UNKNOWN).started_at
    assert Call.objects.get(number="+919811100009").lead_id is None  # not in the sheet


def test_an_import_with_no_waiting_calls_costs_one_query_a_batch(acme, tmp_path, monkeypatch):
    monkeypatch.setattr(importer, "BATCH", 1000)  # 2,500 rows: three batches
    sheet = tmp_path / "leads.csv"
    sheet.write_text("Name,Mobile\n" + "\n".join(f"Lead {i},98{i:08d}" for i in range(2500)) + "\n")
    with CaptureQueriesContext(connection) as queries:
        import_file(acme.org, str(sheet), actor=Actor.system())
    looked = [q["sql"] for q in queries.captured_queries if "calls_call" in q["sql"]]
    assert len(looked) == 3  # three batches: calls and call-backs of the batch's numbers, in one
