"""Custom values in a duplicate merge (the primary's value wins unless it has none; the
duplicate's fill the gaps, named in the audit event) and in a webhook's payload (sent to a
receiver on loopback, read when sent)."""

import json

import pytest

from leadtracker.accounts.audit import Actor
from leadtracker.accounts.models import AuditEvent
from leadtracker.leads.actions.merge import merge_leads
from leadtracker.leads.actions.settings import save_webhook
from leadtracker.leads.fields import actions
from leadtracker.leads.tests.test_webhooks import Receiver
from leadtracker.leads.webhooks import send_due


@pytest.fixture
def realty(acme):
    for label, kind in (("Budget", "money"), ("BHK", "text"), ("Locality", "text")):
        actions.create_field(acme.org, label=label, type=kind, actor=Actor.system())
    return acme


def test_merge_keeps_the_primarys_value_unless_it_has_none(realty, new_lead):
    primary = new_lead(realty, name="Raj", phone="98765 40001", custom_fields={"bhk": "2"})
    duplicate = new_lead(
        realty,
        name="Raj S",
        phone="98765 40002",
        custom_fields={"bhk": "3", "budget": 4500000, "locality": "Baner"},
    )
    merge_leads(primary, duplicate, actor=Actor.for_user(realty.maya.user), by=realty.maya)
    primary.refresh_from_db()
    assert primary.custom_fields == {"bhk": "2", "budget": 4500000, "locality": "Baner"}
    event = AuditEvent.objects.get(action="lead.merge")
    assert {"fields.budget", "fields.locality"} <= set(event.changes["fields_taken"])
    assert "fields.bhk" not in event.changes["fields_taken"]


def test_webhook_payload_carries_the_custom_values(realty, new_lead, settings):
    settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = True  # the receiver listens on loopback
    receiver = Receiver(())
    try:
        save_webhook(realty.org, url=receiver.url, events=["lead.created"], actor=Actor.system())
        new_lead(realty, name="Asha", phone="98765 40003", custom_fields={"budget": 9000000, "bhk": "3"})
        assert send_due() >= 1
        _headers, body = receiver.received[0]
        assert json.loads(body)["lead"]["fields"] == {"budget": 9000000, "bhk": "3"}
    finally:
        receiver.close()
