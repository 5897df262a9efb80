"""The answers kept for resends (accounts/idempotency.py) leave nothing of an erased lead or
member behind; the member's own keys are in their access export."""

from leadtracker.accounts.audit import Actor
from leadtracker.accounts.models import IdempotentRequest
from leadtracker.privacy.erasure.actions import erase_lead, erase_member
from leadtracker.privacy.export.exporters import EXPORTERS
from leadtracker.privacy.export.values import Subject
from leadtracker.testing import make_lead, token_client


def test_a_leads_erasure_drops_the_answers_that_may_name_it(acme, ledger_file):
    lead = make_lead(acme, owner=acme.alice, name="Harpreet Kaur")
    client = token_client(acme.alice)
    client.post(
        f"/api/v1/leads/{lead.pk}/notes",
        {"body": "Call after lunch"},
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY="api-note-erase-1",
    )
    redirect_only = IdempotentRequest.objects.create(
        user=acme.maya.user, organisation=acme.org, key="form-key-0001", method="POST", path="/x/", status=302
    )
    assert IdempotentRequest.objects.exclude(body=b"").exists()
    erase_lead(lead, actor=Actor.system())
    assert list(IdempotentRequest.objects.values_list("pk", flat=True)) == [redirect_only.pk]


def test_a_members_keys_are_exported_and_erased(acme, ledger_file):
    IdempotentRequest.objects.create(
        user=acme.bob.user,
        organisation=acme.org,
        key="bob-key-0001",
        method="POST",
        path="/attendance/punch/",
    )
    rows = list(EXPORTERS["accounts.IdempotentRequest"].rows(Subject(org=acme.org, member=acme.bob)))
    assert [(r["key"], r["path"]) for r in rows] == [("bob-key-0001", "/attendance/punch/")]
    assert "body" not in rows[0]
    erase_member(acme.bob, actor=Actor.system())
    assert not IdempotentRequest.objects.filter(user=acme.bob.user).exists()
