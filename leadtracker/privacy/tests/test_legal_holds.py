"""Legal holds: placed with a reason and released, by admins and owners only, through pages and
the API; an unreleased hold blocks erasure (409 on the web and in the API, exit code 3 on the
command line); released, erasure goes ahead."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from leadtracker.accounts.audit import Actor
from leadtracker.leads.models import Lead
from leadtracker.privacy.models import LegalHold
from leadtracker.privacy.requests.actions import create_request
from leadtracker.testing import make_lead


def erasure_request(people, lead):
    return create_request(
        people.org,
        actor=Actor.system(),
        kind="erasure",
        requested_by="The person",
        channel="email",
        lead=lead,
    )


def test_api_places_lists_and_releases_a_hold(acme, api_as):
    lead = make_lead(acme, name="Farhan Qureshi", phone="+919812345678", actor=Actor.system())
    api = api_as(acme.adam)
    response = api.post(
        "/api/v1/privacy/holds",
        {"lead_id": lead.pk, "reason": "Consumer court case 12/2026"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    hold = response.json()
    assert hold["active"] and hold["lead_id"] == lead.pk and hold["member_id"] is None
    assert [h["id"] for h in api.get("/api/v1/privacy/holds").json()] == [hold["id"]]
    released = api.post(f"/api/v1/privacy/holds/{hold['id']}/release")
    assert released.status_code == 200 and released.json()["active"] is False
    again = api.post(f"/api/v1/privacy/holds/{hold['id']}/release")
    assert again.status_code == 409 and again.json()["errors"][0]["field"] == "hold"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"reason": "   "}, "reason"),
        ({"reason": ""}, "reason"),
        ({}, "subject"),
    ],
)
def test_api_names_the_field_of_bad_input(acme, api_as, body, field):
    lead = make_lead(acme, name="Farhan Qureshi", phone="+919812345678", actor=Actor.system())
    payload = {"lead_id": lead.pk, **body} if field != "subject" else {"reason": "a dispute"}
    response = api_as(acme.olga).post("/api/v1/privacy/holds", payload, content_type="application/json")
    assert response.status_code == 422, response.content
    assert response.json()["errors"][0]["field"] == field
    assert not LegalHold.objects.exists()


def test_a_hold_blocks_erasure_everywhere_until_released(acme, api_as, as_member, settings, tmp_path):
    settings.ERASURE_LEDGER_PATH = tmp_path / "ledger.jsonl"
    lead = make_lead(acme, name="Farhan Qureshi", phone="+919812345678", actor=Actor.system())
    req = erasure_request(acme, lead)
    api = api_as(acme.olga)
    hold = api.post(
        "/api/v1/privacy/holds",
        {"lead_id": lead.pk, "reason": "Police enquiry"},
        content_type="application/json",
    ).json()

    preview = api.get(f"/api/v1/privacy/requests/{req.pk}/erasure").json()
    assert (
        preview["held_by"] == hold["id"] and preview["erased"] is False and preview["counts"]["phones"] == 1
    )
    refused = api.post(f"/api/v1/privacy/requests/{req.pk}/erasure")
    assert refused.status_code == 409 and refused.json()["errors"][0]["field"] == "legal_hold"
    page = as_member(acme.olga).post(f"/settings/privacy/requests/{req.pk}/erase/", {"confirm": "ERASE"})
    assert page.status_code == 409 and b"legal hold" in page.content
    with pytest.raises(CommandError) as exc:
        call_command("privacy", "erase", "--org", "acme", "--phone", "98123 45678", "--yes")
    assert exc.value.returncode == 3 and "legal_hold" in str(exc.value)
    assert Lead.objects.get(pk=lead.pk).erased_at is None

    assert as_member(acme.olga).post(f"/settings/privacy/holds/{hold['id']}/release/").status_code == 302
    done = api.post(f"/api/v1/privacy/requests/{req.pk}/erasure")
    assert done.status_code == 200 and done.json()["erased"] is True
    assert Lead.objects.get(pk=lead.pk).erased_at is not None
    req.refresh_from_db()
    assert req.status == "done" and "erased" in req.outcome


def test_pages_place_and_list_holds_with_field_errors(acme, as_member):
    lead = make_lead(acme, name="Farhan Qureshi", phone="+919812345678", actor=Actor.system())
    client = as_member(acme.adam)
    missing = client.post("/settings/privacy/holds/", {"lead_contact": "98123 45678", "reason": ""})
    assert missing.status_code == 400 and b"Reason: " in missing.content
    nobody = client.post("/settings/privacy/holds/", {"lead_contact": "91111 22222", "reason": "x"})
    assert nobody.status_code == 400 and nobody.context["refusal"].startswith("Lead's number or e-mail: ")
    placed = client.post("/settings/privacy/holds/", {"lead_contact": "098123 45678", "reason": "Dispute"})
    assert placed.status_code == 302
    hold = LegalHold.objects.get()
    assert hold.lead_id == lead.pk and hold.created_by_id == acme.adam.user_id
    member_hold = client.post("/settings/privacy/holds/", {"member": str(acme.bob.pk), "reason": "Audit"})
    assert member_hold.status_code == 302
    page = client.get("/settings/privacy/holds/")
    assert page.status_code == 200 and b"Dispute" in page.content and b"Bob Acme" in page.content


def test_agents_and_managers_cannot_hold_or_erase(acme, api_as, as_member):
    lead = make_lead(acme, name="Farhan Qureshi", phone="+919812345678", actor=Actor.system())
    req = erasure_request(acme, lead)
    hold = LegalHold.objects.create(organisation=acme.org, lead=lead, reason="x")
    for member in (acme.alice, acme.maya):
        api = api_as(member)
        assert api.get("/api/v1/privacy/holds").status_code == 403
        body = {"lead_id": lead.pk, "reason": "mine"}
        assert api.post("/api/v1/privacy/holds", body, content_type="application/json").status_code == 403
        assert api.post(f"/api/v1/privacy/holds/{hold.pk}/release").status_code == 403
        assert api.post(f"/api/v1/privacy/requests/{req.pk}/erasure").status_code == 403
        assert api.post(f"/api/v1/privacy/members/{acme.bob.pk}/erasure").status_code == 403
        web = as_member(member)
        assert (
            web.post(f"/settings/privacy/requests/{req.pk}/erase/", {"confirm": "ERASE"}).status_code == 403
        )
        assert (
            web.post(f"/settings/privacy/members/{acme.bob.pk}/erase/", {"confirm": "ERASE"}).status_code
            == 403
        )
        assert web.post(f"/settings/privacy/holds/{hold.pk}/release/").status_code == 403
    hold.refresh_from_db()
    assert hold.released_at is None and Lead.objects.get(pk=lead.pk).erased_at is None
    assert LegalHold.objects.count() == 1


def test_another_organisations_hold_is_404(acme, globex, api_as, as_member):
    theirs = LegalHold.objects.create(
        organisation=globex.org,
        lead=make_lead(globex, name="Farhan Qureshi", phone="+919812345678", actor=Actor.system()),
        reason="theirs",
    )
    api = api_as(acme.olga)
    assert api.get(f"/api/v1/privacy/holds/{theirs.pk}").status_code == 404
    assert api.post(f"/api/v1/privacy/holds/{theirs.pk}/release").status_code == 404
    assert as_member(acme.olga).post(f"/settings/privacy/holds/{theirs.pk}/release/").status_code == 404
    body = {
        "lead_id": make_lead(globex, name="Farhan Qureshi", phone="+919812000000", actor=Actor.system()).pk,
        "reason": "x",
    }
    assert api.post("/api/v1/privacy/holds", body, content_type="application/json").status_code == 404
    theirs.refresh_from_db()
    assert theirs.released_at is None
