"""Erasing a lead removes what providers sent about the person: the payloads that made or
found the lead, and a failed one that carries its number; another person's stay. The access
export lists the lead's payloads."""

from leadtracker.accounts.audit import Actor
from leadtracker.integrations.actions import receive_payload
from leadtracker.integrations.models import Payload
from leadtracker.integrations.tests.util import connector, work_off
from leadtracker.leads.models import Lead
from leadtracker.privacy.erasure.actions import erase_lead
from leadtracker.privacy.export.exporters import EXPORTERS
from leadtracker.privacy.export.values import Subject


def columns(phone: str, name: str = "Kavita Nair") -> list[dict]:
    return [
        {"column_id": "FULL_NAME", "string_value": name},
        {"column_id": "PHONE_NUMBER", "string_value": phone},
    ]


def test_erasure_removes_the_leads_payloads_and_keeps_others(acme, settings, tmp_path):
    settings.PRIVATE_FILES_DIR = tmp_path / "private"
    settings.ERASURE_LEDGER_PATH = tmp_path / "ledger.jsonl"
    hook, _ = connector(acme, "google-ads")
    receive_payload(hook, "a1", {"lead_id": "a1", "user_column_data": columns("98765 11122")})
    receive_payload(hook, "b1", {"lead_id": "b1", "user_column_data": columns("98111 00000", "Someone Else")})
    work_off()
    # A failed delivery naming her number, never tied to the lead.
    receive_payload(hook, "a2", {"lead_id": "a2", "phone": "+919876511122"}, failed="no user_column_data")
    lead = Lead.objects.get(organisation=acme.org, phone="+919876511122")
    exported = list(EXPORTERS["integrations.Payload"].lead(Subject(org=acme.org, lead=lead)))
    assert [(r["external_id"], r["status"], r["provider"]) for r in exported] == [
        ("a1", "done", "google-ads")
    ]

    erase_lead(lead, actor=Actor.for_user(acme.olga.user))
    assert sorted(Payload.objects.values_list("external_id", flat=True)) == ["b1"]
