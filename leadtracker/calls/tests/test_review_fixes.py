"""Defects an independent review of call tracking found, each held by a test."""

import csv
import datetime as dt
import io
import threading

import pytest
from django.db import connection, connections
from django.utils import timezone

from leadtracker.accounts.audit import Actor
from leadtracker.calls.models import Call, CallBack
from leadtracker.calls.tests.conftest import call, make_lead, open_shift, paired_client, send
from leadtracker.leads.models import Lead, LeadStatus
from leadtracker.testing import wait_until

WRITES = ("BEGIN", "INSERT", "UPDATE", "DELETE")


@pytest.mark.django_db(transaction=True)
def test_a_miss_and_its_return_stored_at_the_same_moment_close_the_call_back(acme, monkeypatch):
    """Bob's phone stores the call that returned a lead's miss; while its transaction is still
    open, Alice's phone stores the miss itself. Neither sees the other's row; the per-number
    lock makes the second wait and close the call-back (on SQLite the single writer does)."""
    lead = make_lead(acme, phones=["+919800000001"], owner=acme.alice)
    # A newer last-contacted time: neither batch updates the lead row, so no row lock orders them.
    Lead.objects.filter(pk=lead.pk).update(last_contacted_at=timezone.now())
    open_shift(acme.alice)
    open_shift(acme.bob)
    returning, missing = paired_client(acme.bob), paired_client(acme.alice)
    from leadtracker.calls import callbacks

    original = callbacks.on_calls_stored
    in_loop, release = threading.Event(), threading.Event()

    def held_open(org, stored, *, user_id):
        original(org, stored, user_id=user_id)
        if user_id == acme.bob.user_id:
            in_loop.set()
            release.wait(60)

    monkeypatch.setattr(callbacks, "on_calls_stored", held_open)
    answers = {}
    writing = threading.Event()

    def note_writing(execute, sql, params, many, context):
        if sql.startswith(WRITES) and threading.current_thread().name == "miss":
            writing.set()
        return execute(sql, params, many, context)

    def the_miss_waits() -> bool:
        """The miss has got as far as it can while the return is uncommitted: on PostgreSQL it
        waits for a lock the return holds; on SQLite it has begun its first write (its token's
        last use, or its transaction), which the single writer lets through only after the
        return's commit."""
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT count(*) FROM pg_locks WHERE NOT granted AND database = "
                    "(SELECT oid FROM pg_database WHERE datname = current_database())"
                )
                return cursor.fetchone()[0] > 0
        return writing.is_set()

    def run(name, client, rows):
        try:
            with connection.execute_wrapper(note_writing):
                answers[name] = send(client, rows).json()
        finally:
            connections.close_all()

    a = threading.Thread(
        target=run,
        args=("return", returning, [call(1, number="+919800000001", duration_s=60, minutes_ago=30)]),
    )
    a.start()
    assert in_loop.wait(60)
    b = threading.Thread(
        target=run,
        name="miss",
        args=(
            "miss",
            missing,
            [call(2, number="+919800000001", type="missed", duration_s=0, minutes_ago=45)],
        ),
    )
    b.start()
    try:
        wait_until(the_miss_waits, "the miss to wait for the return's transaction")
    finally:
        release.set()
    a.join(60)
    b.join(60)
    assert answers["return"]["stored"] == 1 and answers["miss"]["stored"] == 1, answers
    cb = CallBack.objects.get()
    assert cb.closed_at is not None and cb.seconds_to_return == 15 * 60


def test_the_csv_hides_a_colleagues_lead_and_is_audited(acme, as_member):
    from leadtracker.accounts.models import AuditEvent

    make_lead(acme, phones=["+919811111111"], owner=acme.alice, name="Secret Alice Lead")
    open_shift(acme.bob)
    send(paired_client(acme.bob), [call(1, number="+919811111111")])
    response = as_member(acme.bob).get("/calls/?format=csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert len(rows) == 2 and rows[1][6] == "+919811111111"
    assert "Secret Alice Lead" not in text
    assert AuditEvent.objects.filter(action="call.export", actor_user=acme.bob.user).exists()
    admin_text = b"".join(as_member(acme.adam).get("/calls/?format=csv").streaming_content).decode(
        "utf-8-sig"
    )
    assert "Secret Alice Lead" in admin_text


def test_a_reassigned_leads_call_backs_go_to_its_new_owner(acme, phone, as_member):
    from leadtracker.leads.actions.assignment import assign_lead

    lead = make_lead(acme, owner=acme.alice, name="Moved Lead")
    send(phone, [call(1, type="missed", duration_s=0)])
    assign_lead(lead, acme.bob.user_id, actor=Actor.for_user(acme.olga.user), by=acme.olga)
    assert CallBack.objects.get().assignee_id == acme.bob.user_id
    assert as_member(acme.alice).get("/api/v1/calls/missed").json() == []
    assert [r["lead_name"] for r in as_member(acme.bob).get("/api/v1/calls/missed").json()] == ["Moved Lead"]


@pytest.mark.parametrize(
    ("change", "error"),
    [
        ({"type": ["incoming"]}, "type: must be one of"),
        ({"type": 3}, "type: must be one of"),
        ({"started_at": "0001-01-01T00:00:00+05:30"}, "started_at:"),
        ({"started_at": "9999-12-31T23:59:59-05:00"}, "started_at:"),
        ({"started_at": "1970-01-01T05:30:00+05:30"}, "started_at: before the year 2000"),
        ({"number": {"x": 1}}, "number: must be a string"),
    ],
)
def test_odd_values_reject_their_row_not_the_batch(phone, change, error):
    body = send(phone, [call(1, number="+919800000001"), call(2, **change)]).json()
    assert body["stored"] == 1 and body["rejected"][0]["index"] == 1, body
    assert body["rejected"][0]["error"].startswith(error)


def test_an_earlier_miss_arriving_late_is_measured_from(acme, phone):
    make_lead(acme, owner=acme.alice)
    send(phone, [call(1, type="missed", duration_s=0, minutes_ago=60)])
    send(phone, [call(2, type="missed", duration_s=0, minutes_ago=120)])  # synced late by another phone
    send(phone, [call(3, duration_s=60, minutes_ago=0)])
    cb = CallBack.objects.get()
    assert cb.missed_count == 2 and cb.seconds_to_return == 120 * 60


def test_an_earlier_miss_returned_before_the_later_one_gets_its_own_closed_call_back(acme, phone):
    make_lead(acme, owner=acme.alice)
    send(phone, [call(1, duration_s=60, minutes_ago=100)])  # the return of the early miss
    send(phone, [call(2, type="missed", duration_s=0, minutes_ago=60)])  # a new miss, open
    send(phone, [call(3, type="missed", duration_s=0, minutes_ago=120)])  # the early miss, late
    closed = CallBack.objects.get(closed_at__isnull=False)
    assert closed.seconds_to_return == 20 * 60
    still_open = CallBack.objects.get(closed_at__isnull=True)
    assert still_open.missed_count == 1


def test_full_width_digits_are_normalised_to_ascii():
    from leadtracker.lib.phones import normalise

    assert normalise("+919８７６５４３２１０") == "+919876543210"


def test_a_naive_read_time_is_refused_naming_the_field(phone):
    response = phone.post(
        "/api/v1/devices/state",
        {"last_call_log_read_at": "2026-11-24T10:00:00"},
        content_type="application/json",
    )
    assert response.status_code == 400 and response.json()["errors"][0]["field"] == "last_call_log_read_at"


def test_when_no_lead_can_be_made_the_calls_are_stored_without_one(acme, phone):
    acme.org.calls_create_leads = True
    acme.org.save()
    LeadStatus.objects.filter(organisation=acme.org, kind="open").update(is_active=False)
    body = send(phone, [call(1, number="+919822222222", contact_name="New Person")]).json()
    assert body["stored"] == 1 and body["rejected"] == []
    assert Call.objects.get().lead_id is None and not Lead.objects.filter(organisation=acme.org).exists()


def test_started_at_a_day_ago_in_another_zone_is_the_same_instant(phone):
    moment = (timezone.now() - dt.timedelta(hours=2)).replace(microsecond=0)
    send(phone, [call(1, started_at=moment.astimezone(dt.timezone(dt.timedelta(hours=-5))).isoformat())])
    assert Call.objects.get().started_at == moment


def test_merging_leads_gives_the_duplicates_call_backs_to_the_primarys_owner(acme, phone):
    from leadtracker.leads.actions.merge import merge_leads

    primary = make_lead(acme, phones=["+919800000001"], owner=acme.bob)
    duplicate = make_lead(acme, phones=["+919800000002"], owner=acme.alice, email="d@example.in")
    send(phone, [call(1, number="+919800000002", type="missed", duration_s=0)])
    assert CallBack.objects.get().assignee_id == acme.alice.user_id
    merge_leads(primary, duplicate, actor=Actor.for_user(acme.olga.user), by=acme.olga)
    cb = CallBack.objects.get()
    assert cb.lead_id == primary.pk and cb.assignee_id == acme.bob.user_id
