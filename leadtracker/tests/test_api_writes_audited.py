"""Writes through the HTTP API that a probe once found silent are audited, each by ids only:
setting a lead's tags, a call logged by hand and its outcome (the action walk beside this file,
test_every_action_audits.py, covers every action; these cover the endpoints' own events)."""

import json

from leadtracker.accounts.models import AuditEvent
from leadtracker.calls.models import Call, Outcome
from leadtracker.leads.models import Tag
from leadtracker.tests.test_every_action_audits import NOTE, world


def _events(org, action):
    return list(AuditEvent.objects.filter(organisation=org, action=action).order_by("pk"))


def test_setting_a_leads_tags_through_the_api_is_audited_by_tag_id(acme, api_as):
    w = world(acme)
    client = api_as(acme.olga)
    url = f"/api/v1/leads/{w.lead.pk}/tags"
    assert (
        client.put(url, {"tags": ["vip", "Sunita's family"]}, content_type="application/json").status_code
        == 200
    )
    assert client.put(url, {"tags": ["vip", "diwali"]}, content_type="application/json").status_code == 200
    assert client.put(url, {"tags": ["vip", "diwali"]}, content_type="application/json").status_code == 200
    ids = dict(Tag.objects.filter(organisation=acme.org).values_list("name", "pk"))
    first, second = _events(acme.org, "lead.tags")  # the third changed nothing: no event
    assert (first.object_type, first.object_id, first.actor_user) == ("lead", str(w.lead.pk), acme.olga.user)
    assert first.changes == {"added": sorted([ids["vip"], ids["Sunita's family"]]), "removed": []}
    assert second.changes == {"added": [ids["diwali"]], "removed": [ids["Sunita's family"]]}
    # The bulk action adds tags through the same action.
    bulk = {"ids": [w.lead.pk], "action": "tag", "tags": ["hot"]}
    assert client.post("/api/v1/leads/bulk", bulk, content_type="application/json").status_code == 200
    assert _events(acme.org, "lead.tags")[-1].changes == {
        "added": [Tag.objects.get(name="hot").pk],
        "removed": [],
    }


def test_a_call_logged_by_hand_and_its_outcome_through_the_api_are_audited(acme, api_as):
    w = world(acme)
    w.lead.owner_id = acme.alice.user_id
    w.lead.save(update_fields=["owner"])
    client = api_as(acme.alice)
    logged = client.post(
        "/api/v1/calls",
        {"lead_id": w.lead.pk, "duration_s": 95, "note": NOTE},
        content_type="application/json",
    )
    assert logged.status_code == 201, logged.content
    call = Call.objects.get(pk=logged.json()["id"])
    (event,) = _events(acme.org, "call.log")
    assert (event.object_type, event.object_id, event.actor_user) == ("call", str(call.pk), acme.alice.user)
    assert event.changes == {
        "lead": w.lead.pk,
        "direction": "out",
        "connected": True,
        "duration_s": 95,
        "outcome": None,
        "note": True,
    }
    # The same form again logs nothing new, and records nothing new.
    again = client.post(
        "/api/v1/calls",
        {"lead_id": w.lead.pk, "duration_s": 95, "note": NOTE, "started_at": call.started_at.isoformat()},
        content_type="application/json",
    )
    assert again.status_code == 200 and len(_events(acme.org, "call.log")) == 1

    chosen = Outcome.objects.filter(organisation=acme.org).first()
    answered = client.post(
        f"/api/v1/calls/{call.pk}/outcome",
        {"outcome_id": chosen.pk, "note": ""},
        content_type="application/json",
    )
    assert answered.status_code == 200, answered.content
    (outcome,) = _events(acme.org, "call.outcome")
    assert (outcome.object_type, outcome.object_id) == ("call", str(call.pk))
    assert outcome.changes == {"outcome": chosen.pk, "note": False}
    stored = json.dumps([e.changes for e in AuditEvent.objects.filter(organisation=acme.org)])
    assert "husband" not in stored and "98765" not in stored
