"""An erased lead stays as an anonymous row for the reports, but nobody adds to it again: a note
sent after the erasure — typed online, kept by a phone offline and replayed, or resent with a key
whose kept answer the erasure dropped — is refused with the reason, and so is a follow-up; its
status may still move (the reports count it)."""

import datetime as dt

import pytest
from django.utils import timezone

from leadtracker.accounts.audit import Actor
from leadtracker.leads.actions.follow_ups import schedule_follow_up
from leadtracker.leads.actions.leads import add_note, change_status
from leadtracker.leads.models import Activity, ActivityKind, Lead, LeadStatus
from leadtracker.lib.errors import ActionError
from leadtracker.privacy.erasure.actions import erase_lead
from leadtracker.testing import login_client, make_lead, token_client


@pytest.fixture
def ledger_file(settings, tmp_path):
    """A ledger of erasures of the test's own, so that no test replays another's."""
    settings.ERASURE_LEDGER_PATH = tmp_path / "ledger.jsonl"
    return settings.ERASURE_LEDGER_PATH


REASON = "this lead was erased: nothing can be added to it"  # the page has no field "lead"


def _erased(acme):
    lead = make_lead(acme, owner=acme.alice, name="Harpreet Kaur", phone="+919812345601")
    erase_lead(lead, actor=Actor.system())
    return Lead.objects.get(pk=lead.pk)


def _notes(lead):
    return Activity.objects.filter(lead_id=lead.pk, kind=ActivityKind.NOTE).count()


def test_a_note_replayed_from_the_phone_after_the_erasure_is_refused_with_the_reason(acme, ledger_file):
    lead = _erased(acme)
    answer = login_client(acme.alice).post(
        f"/leads/{lead.pk}/note/",
        {"body": "Her husband asked to call after Diwali"},
        HTTP_IDEMPOTENCY_KEY="offline-note-0001",
        HTTP_X_REPLAY="queued",
    )
    assert (answer.status_code, answer["X-Replay"]) == (409, "refused")
    assert answer.json() == {"detail": REASON}
    assert _notes(lead) == 0


def test_the_api_refuses_a_note_on_an_erased_lead(acme, ledger_file):
    lead = _erased(acme)
    answer = token_client(acme.alice).post(
        f"/api/v1/leads/{lead.pk}/notes",
        {"body": "Call after lunch"},
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY="api-note-erased-1",
    )
    assert answer.status_code == 409, answer.content
    assert _notes(lead) == 0


def test_managers_and_admins_cannot_add_to_it_either(acme, ledger_file):
    lead = _erased(acme)
    for who in (acme.alice, acme.maya, acme.olga):
        with pytest.raises(ActionError) as caught:
            add_note(lead, "Seen", actor=Actor.for_user(who.user), by=who)
        assert caught.value.status_code == 409
    with pytest.raises(ActionError):
        schedule_follow_up(
            lead, due_at=timezone.now() + dt.timedelta(days=1), actor=Actor.system(), by=acme.alice
        )
    assert _notes(lead) == 0
    # Moving the anonymous row between statuses adds nothing about the person: the reports may.
    status = LeadStatus.objects.filter(organisation=acme.org).exclude(pk=lead.status_id).first()
    assert change_status(lead, status, actor=Actor.system(), by=acme.olga).status_id == status.pk
