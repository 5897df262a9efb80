"""Registering and handling data requests: finding the person, the due date, refusing, closing."""

import datetime as dt

import pytest
from django.db import IntegrityError
from django.utils import timezone

from leadtracker.accounts.audit import Actor
from leadtracker.accounts.models import AuditEvent
from leadtracker.lib.errors import ActionError, Conflict
from leadtracker.privacy.models import DataRequest
from leadtracker.privacy.requests import actions
from leadtracker.privacy.tests.requests_util import make_lead, make_request


def test_a_lead_is_found_by_its_number_in_another_format(acme):
    lead = make_lead(acme, phone="+919876543210")
    for written in ("098765 43210", "9876543210", "+91 98765-43210", "0091 9876543210"):
        found, member = actions.find_subject(acme.org, phone=written)
        assert found == lead and member is None, written


def test_a_lead_is_found_by_e_mail_whatever_its_case(acme):
    lead = make_lead(acme, email="ravi@example.in")
    found, _ = actions.find_subject(acme.org, email="  Ravi@EXAMPLE.in ")
    assert found == lead


def test_unknown_or_bad_subjects_name_the_field(acme, globex):
    make_lead(globex, phone="+919876543210", email="ravi@example.in")
    cases = [
        ({"phone": "9876543210"}, "phone"),  # another organisation's lead is not found
        ({"phone": "12"}, "phone"),
        ({"email": "ravi@example.in"}, "email"),
        ({}, "subject"),
        ({"phone": "9876543210", "email": "x@example.in"}, "subject"),
    ]
    for kwargs, field in cases:
        with pytest.raises(ActionError) as caught:
            actions.find_subject(acme.org, **kwargs)
        assert caught.value.field == field, kwargs
    with pytest.raises(ActionError) as caught:
        actions.find_subject(acme.org, member_id=globex.alice.pk)
    assert caught.value.status_code == 404 and caught.value.field == "member_id"


def test_a_request_about_a_member(acme):
    member_request = actions.create_request(
        acme.org,
        actor=Actor.system(),
        kind="erasure",
        requested_by="Alice",
        channel="in_person",
        member=acme.alice,
    )
    assert member_request.member == acme.alice and member_request.lead is None


def test_due_thirty_days_after_receipt_by_default(acme):
    received = timezone.now() - dt.timedelta(days=3)
    req = make_request(acme, received_at=received)
    assert req.due_at == received + dt.timedelta(days=30)
    assert req.status == "open" and req.created_by == acme.adam.user
    event = AuditEvent.objects.get(action="data_request.created")
    assert event.object_id == str(req.pk)
    assert event.changes == {"kind": "access", "lead_id": req.lead_id, "member_id": None, "period_days": 30}


def test_the_period_is_per_organisation_and_applies_to_new_requests(acme, globex):
    before = make_request(acme)
    actions.set_request_period(acme.org, 15, actor=Actor.system())
    after = make_request(acme, lead=make_lead(acme, phone="+919812345678", email="b@example.in"))
    theirs = make_request(globex)
    assert after.due_at - after.received_at == dt.timedelta(days=15)
    assert before.due_at - before.received_at == dt.timedelta(days=30)
    assert theirs.due_at - theirs.received_at == dt.timedelta(days=30)
    for bad in (0, 366, "ten"):
        with pytest.raises(ActionError) as caught:
            actions.set_request_period(acme.org, bad, actor=Actor.system())
        assert caught.value.field == "request_period_days"


def test_received_in_the_future_is_refused(acme):
    with pytest.raises(ActionError) as caught:
        make_request(acme, received_at=timezone.now() + dt.timedelta(days=1))
    assert caught.value.field == "received_at"


def test_a_refusal_needs_a_written_reason(acme):
    req = make_request(acme)
    actor = Actor.for_user(acme.adam.user)
    for reason in ("", "   "):
        with pytest.raises(ActionError) as caught:
            actions.update_request(req, actor=actor, status="refused", refusal_reason=reason)
        assert caught.value.field == "refusal_reason"
    assert DataRequest.objects.get(pk=req.pk).status == "open"
    refused = actions.update_request(
        req, actor=actor, status="refused", refusal_reason="Identity could not be verified."
    )
    assert refused.status == "refused" and refused.closed_by == acme.adam.user


def test_the_database_also_refuses_a_refusal_without_reason(acme):
    req = make_request(acme)
    with pytest.raises(IntegrityError):
        DataRequest.objects.filter(pk=req.pk).update(status="refused", closed_at=timezone.now())


def test_closing_records_who_and_when_and_freezes_the_request(acme):
    req = make_request(acme)
    actor = Actor.for_user(acme.olga.user)
    req = actions.update_request(
        req, actor=actor, status="in_progress", verification_note="OTP to the number"
    )
    assert req.closed_at is None and req.verification_note == "OTP to the number"
    with pytest.raises(ActionError) as caught:
        actions.update_request(req, actor=actor, status="done")
    assert caught.value.field == "outcome"
    now = timezone.now()
    req = actions.update_request(req, actor=actor, status="done", outcome="Export sent by e-mail.", now=now)
    assert req.closed_at == now and req.closed_by == acme.olga.user
    with pytest.raises(Conflict):
        actions.update_request(req, actor=actor, outcome="Changed afterwards")
    closed = AuditEvent.objects.get(action="data_request.closed")
    assert closed.changes == {"fields": ["outcome", "status"], "status": "done"}
    assert "Export" not in str(closed.changes)
