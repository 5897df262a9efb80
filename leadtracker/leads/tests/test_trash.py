"""Deleting a lead moves it to the trash: it is nowhere else meanwhile (lists, search, board,
API, export, duplicates, funnel counts, agenda, call matching), and restoring brings it back
whole — numbers, tags, notes, follow-ups, consent history, calls — under its own id. Who may
restore, what another organisation sees (404), and what restore does with a number or e-mail
another lead took while it was in the trash."""

import datetime as dt

import pytest
from django.utils import timezone

from leadtracker.accounts.audit import Actor
from leadtracker.accounts.models import AuditEvent
from leadtracker.calls.models import Call
from leadtracker.leads.actions.follow_ups import schedule_follow_up
from leadtracker.leads.actions.leads import add_note, change_status
from leadtracker.leads.consent import set_lead_consent
from leadtracker.leads.models import (
    Activity,
    ActivityKind,
    ConsentEvent,
    FollowUp,
    Lead,
    LeadPhone,
    LeadStatus,
    LeadTag,
    Tag,
    TrashedLead,
)
from leadtracker.leads.trash.actions import TRASH_DAYS, restore_lead, trash_leads
from leadtracker.privacy.models import LegalHold
from leadtracker.privacy.tests.erasure_util import open_shift, paired_client
from leadtracker.reports import selectors as reports

RAJ_NUMBERS = ["+919876543210", "+919123456789"]


def sync(client, rows):
    response = client.post("/api/v1/calls/sync", {"calls": rows}, content_type="application/json")
    assert response.status_code == 200, response.content
    return response.json()


def call_row(n, number, kind="outgoing", minutes_ago=30, duration=60):
    started = timezone.now().replace(microsecond=0) - dt.timedelta(minutes=minutes_ago)
    return {
        "device_call_id": str(9000 + n),
        "number": number,
        "type": kind,
        "started_at": started.isoformat(),
        "duration_s": duration,
    }


@pytest.fixture
def world(acme, new_lead):
    """Raj, with something of every kind, owned by Alice; "R. Sharma" of the same company (a
    likely duplicate of Raj's), the control."""
    olga = acme.olga
    actor = Actor.for_user(olga.user)
    raj = new_lead(
        acme,
        name="Raj Sharma",
        company="Sharma Traders",
        email="raj@example.in",
        phones=["98765 43210", "91234 56789"],
        tags=["hot", "diwali"],
        owner_id=acme.alice.user_id,
        value="4500000",
    )
    ravi = new_lead(
        acme,
        name="R. Sharma",
        company="Sharma Traders",
        phones=["90000 00001"],
        owner_id=acme.alice.user_id,
    )
    add_note(raj, "Wants two lorries before Diwali", actor=actor, by=olga)
    schedule_follow_up(raj, due_at=timezone.now() + dt.timedelta(days=2), note="Quote", actor=actor, by=olga)
    set_lead_consent(raj, given=True, method="phone", actor=actor, by=olga, note="agreed on the phone")
    open_shift(acme.alice)
    phone = paired_client(acme.alice)
    sync(phone, [call_row(1, "9876543210"), call_row(2, "9000000001", minutes_ago=20)])
    assert Call.objects.filter(lead=raj).count() == 1
    return {"raj": raj, "ravi": ravi, "phone": phone}


def state_of(lead_id) -> dict:
    """The lead and everything hanging from it, as plain values (the restore entry aside)."""
    return {
        "lead": Lead.objects.filter(pk=lead_id).values().get(),
        "phones": list(LeadPhone.objects.filter(lead_id=lead_id).values().order_by("pk")),
        "tags": list(LeadTag.objects.filter(lead_id=lead_id).values().order_by("pk")),
        "activities": list(
            Activity.objects.filter(lead_id=lead_id)
            .exclude(kind=ActivityKind.RESTORED)
            .values()
            .order_by("pk")
        ),
        "follow_ups": list(FollowUp.objects.filter(lead_id=lead_id).values().order_by("pk")),
        "consents": list(ConsentEvent.objects.filter(lead_id=lead_id).values().order_by("pk")),
        "calls": list(Call.objects.filter(lead_id=lead_id).values().order_by("pk")),
    }


def funnel(org, user_ids=None) -> int:
    return sum(row["leads"] for row in reports.funnel(org, user_ids))


def seen_everywhere(acme, as_member, api_as, lead) -> dict[str, bool]:
    """Where a lead can be found, for a manager who sees it: True where it shows."""
    web, api = as_member(acme.maya), api_as(acme.maya)
    name = lead.name

    def listed(response):
        assert response.status_code == 200, response
        body = b"".join(response.streaming_content) if response.streaming else response.content
        return name in body.decode("utf-8-sig")

    def api_ids(response):
        assert response.status_code == 200, response.content[:300]
        return lead.pk in {item["id"] for item in response.json()["items"]}

    return {
        "list": listed(web.get("/leads/")),
        "search by name": listed(web.get("/leads/", {"q": "Raj"})),
        "search by number": listed(web.get("/leads/", {"q": "43210"})),
        "board": listed(web.get("/leads/board/")),
        "page": web.get(f"/leads/{lead.pk}/").status_code == 200,
        "export": listed(api.get("/api/v1/leads/export", {"format": "csv"})),
        "api list": api_ids(api.get("/api/v1/leads")),
        "api search": api_ids(api.get("/api/v1/leads", {"q": "98765 43210"})),
        "api get": api.get(f"/api/v1/leads/{lead.pk}").status_code == 200,
        "duplicates": any(
            lead.pk in (p["lead_id"], p["other_id"]) for p in api.get("/api/v1/leads/duplicates").json()
        ),
        "agenda": any(
            fu["lead_id"] == lead.pk for fu in api_as(acme.alice).get("/api/v1/agenda").json()["upcoming"]
        ),
    }


def test_a_trashed_lead_is_nowhere_and_comes_back_whole(acme, world, as_member, api_as):
    raj, ravi = world["raj"], world["ravi"]
    before = state_of(raj.pk)
    everywhere = seen_everywhere(acme, as_member, api_as, raj)
    # The walk can see: before the trash the lead shows in every place it looks.
    assert all(everywhere.values()), everywhere
    counts = (funnel(acme.org), funnel(acme.org, [acme.alice.user_id]))
    assert counts == (2, 2)

    response = api_as(acme.maya).delete(f"/api/v1/leads/{raj.pk}")
    assert response.status_code == 204

    assert not any(seen_everywhere(acme, as_member, api_as, raj).values())
    assert (funnel(acme.org), funnel(acme.org, [acme.alice.user_id])) == (1, 1)
    # The control stays where it was.
    assert ravi.name in as_member(acme.maya).get("/leads/").content.decode()
    # Its calls are the agent's work: still there, for now without a lead.
    assert Call.objects.filter(pk__in=[c["id"] for c in before["calls"]], lead__isnull=True).count() == 1
    event = AuditEvent.objects.get(action="lead.trash", object_id=str(raj.pk))
    assert event.actor_user_id == acme.maya.user_id and event.changes["rows"]["leads.lead"] == 1
    assert "Raj" not in str(event.changes) and "98765" not in str(event.changes)

    listed = api_as(acme.maya).get("/api/v1/leads/trash").json()["items"]
    assert [(t["id"], t["name"], t["phones"], t["days_left"]) for t in listed] == [
        (raj.pk, "Raj Sharma", RAJ_NUMBERS, TRASH_DAYS)
    ]
    assert listed[0]["deleted_by_id"] == acme.maya.user_id

    response = api_as(acme.maya).post(f"/api/v1/leads/trash/{raj.pk}/restore")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["lead"]["id"] == raj.pk and body["lead"]["phones"] == RAJ_NUMBERS
    assert sorted(body["lead"]["tags"]) == ["diwali", "hot"]
    assert body["numbers_on_other_lead"] == [] and body["left_out"] == {}

    assert state_of(raj.pk) == before
    assert all(seen_everywhere(acme, as_member, api_as, raj).values())
    assert (funnel(acme.org), funnel(acme.org, [acme.alice.user_id])) == (2, 2)
    assert not TrashedLead.objects.exists()
    restored = Activity.objects.get(lead=raj, kind=ActivityKind.RESTORED)
    assert restored.actor_id == acme.maya.user_id and restored.data["deleted_by"] == acme.maya.user_id
    assert AuditEvent.objects.filter(action="lead.restore", object_id=str(raj.pk)).count() == 1


def test_a_call_from_a_trashed_number_is_an_unknown_call_until_the_lead_is_restored(acme, world, api_as):
    raj = world["raj"]
    trash_leads(Lead.objects.filter(pk=raj.pk), actor=Actor.system(), by=acme.olga)
    sync(world["phone"], [call_row(3, "09123456789", kind="incoming", minutes_ago=5)])
    arrived = Call.objects.get(number="+919123456789")
    assert arrived.lead_id is None  # matched to no lead: the lead is not there to match
    assert not Lead.objects.filter(organisation=acme.org, phones__e164="+919123456789").exists()

    restore_lead(TrashedLead.objects.get(pk=raj.pk), actor=Actor.system(), by=acme.olga)
    arrived.refresh_from_db()
    assert arrived.lead_id == raj.pk
    # And the call it had before, whose link was emptied when it was trashed.
    assert Call.objects.filter(lead=raj).count() == 2
    raj.refresh_from_db()
    assert raj.last_contacted_at == arrived.started_at


def test_restore_leaves_off_what_another_lead_took_meanwhile(acme, world, api_as, new_lead):
    raj = world["raj"]
    api_as(acme.olga).delete(f"/api/v1/leads/{raj.pk}")
    # A new lead with one of the numbers and the e-mail, made while Raj was in the trash.
    taker = new_lead(acme, name="Raj again", phones=["91234 56789"], email="raj@example.in")

    response = api_as(acme.olga).post(f"/api/v1/leads/trash/{raj.pk}/restore")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["numbers_on_other_lead"] == ["+919123456789"]
    assert body["email_on_other_lead"] == "raj@example.in"
    lead = body["lead"]
    assert lead["phones"] == ["+919876543210"] and lead["phone"] == "+919876543210" and lead["email"] == ""
    assert lead["extra"]["numbers_on_other_lead"] == ["+919123456789"]
    assert lead["extra"]["email_on_other_lead"] == "raj@example.in"
    assert lead["extra"]["possible_duplicate_of"] == taker.pk
    assert list(taker.phones.values_list("e164", flat=True)) == ["+919123456789"]
    event = AuditEvent.objects.get(action="lead.restore", object_id=str(raj.pk))
    assert event.changes["numbers_left_off"] == 1 and event.changes["email_left_off"] is True


def test_what_is_gone_meanwhile_stays_gone(acme, world):
    raj = world["raj"]
    status = LeadStatus.objects.get(organisation=acme.org, name="Negotiation")
    change_status(raj, status, actor=Actor.system(), by=acme.olga)
    trash_leads(Lead.objects.filter(pk=raj.pk), actor=Actor.system(), by=acme.olga)
    Tag.objects.filter(organisation=acme.org, name="hot").delete()
    status.delete()  # nobody is in it while Raj is in the trash
    result = restore_lead(TrashedLead.objects.get(pk=raj.pk), actor=Actor.system(), by=acme.olga)
    assert result.left_out == {"leads.leadtag": 1}
    raj.refresh_from_db()
    assert list(raj.tags.values_list("name", flat=True)) == ["diwali"]
    assert raj.status.kind == "open" and raj.status.is_active


def test_who_may_delete_and_restore(acme, world, api_as):
    raj = world["raj"]
    # Agents do not delete leads, not even their own.
    assert api_as(acme.alice).delete(f"/api/v1/leads/{raj.pk}").status_code == 403
    # Mark manages another team: Raj (Alice's) is not his to see, let alone delete.
    assert api_as(acme.mark).delete(f"/api/v1/leads/{raj.pk}").status_code == 404
    assert api_as(acme.mani).delete(f"/api/v1/leads/{raj.pk}").status_code == 404  # Bob's manager
    assert api_as(acme.maya).delete(f"/api/v1/leads/{raj.pk}").status_code == 204

    def trash_ids(member):
        return [t["id"] for t in api_as(member).get("/api/v1/leads/trash").json()["items"]]

    # The trash shows what each would see of live leads: the owner, her managers, admins.
    assert trash_ids(acme.alice) == trash_ids(acme.maya) == trash_ids(acme.adam) == [raj.pk]
    assert trash_ids(acme.bob) == trash_ids(acme.mark) == trash_ids(acme.mani) == []
    for member in (acme.bob, acme.mark):
        assert api_as(member).post(f"/api/v1/leads/trash/{raj.pk}/restore").status_code == 404
    # Only admins and owners empty the trash early.
    assert api_as(acme.maya).delete(f"/api/v1/leads/trash/{raj.pk}").status_code == 403
    # The lead's owner may bring it back.
    response = api_as(acme.alice).post(f"/api/v1/leads/trash/{raj.pk}/restore")
    assert response.status_code == 200 and response.json()["lead"]["owner_id"] == acme.alice.user_id
    assert api_as(acme.alice).post(f"/api/v1/leads/trash/{raj.pk}/restore").status_code == 404  # done


def test_another_organisations_trash_answers_404(acme, globex, world, api_as, as_member):
    raj = world["raj"]
    api_as(acme.olga).delete(f"/api/v1/leads/{raj.pk}")
    theirs = api_as(globex.olga)
    assert theirs.get("/api/v1/leads/trash").json()["items"] == []
    assert theirs.post(f"/api/v1/leads/trash/{raj.pk}/restore").status_code == 404
    assert theirs.delete(f"/api/v1/leads/trash/{raj.pk}").status_code == 404
    web = as_member(globex.olga)
    assert web.post(f"/leads/trash/{raj.pk}/restore/").status_code == 404
    assert web.post(f"/leads/trash/{raj.pk}/delete/").status_code == 404
    assert "Raj" not in web.get("/leads/trash/").content.decode()
    assert TrashedLead.objects.filter(pk=raj.pk).exists()


def test_a_lead_under_legal_hold_is_not_trashed(acme, world, api_as):
    raj = world["raj"]
    hold = LegalHold.objects.create(organisation=acme.org, lead=raj, reason="dispute")
    response = api_as(acme.olga).post(
        "/api/v1/leads/bulk",
        {"ids": [raj.pk, world["ravi"].pk], "action": "delete"},
        content_type="application/json",
    )
    assert response.status_code == 409
    assert (
        response.json()["errors"][0]["field"] == "legal_hold" and f"#{hold.pk}" in response.json()["detail"]
    )
    # All or none: the other lead of the batch stays too.
    assert Lead.objects.filter(pk__in=[raj.pk, world["ravi"].pk]).count() == 2
    assert not TrashedLead.objects.exists()


def test_the_web_moves_to_trash_lists_and_restores(acme, world, as_member):
    raj = world["raj"]
    web = as_member(acme.maya)
    page = web.get(f"/leads/{raj.pk}/").content.decode()
    assert "Move to trash" in page
    assert "Move to trash" not in as_member(acme.alice).get(f"/leads/{raj.pk}/").content.decode()
    assert 'href="/leads/trash/"' in web.get("/leads/").content.decode()

    response = web.post(f"/leads/{raj.pk}/trash/", follow=True)
    assert response.redirect_chain[-1][0] == "/leads/"
    assert "moved to the trash" in response.content.decode()
    assert web.get(f"/leads/{raj.pk}/").status_code == 404

    trash = web.get("/leads/trash/").content.decode()
    assert "Raj Sharma" in trash and f"{TRASH_DAYS} days left" in trash and "Maya Acme" in trash
    assert "Delete forever" not in trash  # admins only
    assert "Delete forever" in as_member(acme.olga).get("/leads/trash/").content.decode()

    response = web.post(f"/leads/trash/{raj.pk}/restore/", follow=True)
    assert response.redirect_chain[-1][0] == f"/leads/{raj.pk}/"
    assert "is back" in response.content.decode()
    assert "Raj" not in web.get("/leads/trash/").content.decode()


def test_the_bulk_delete_of_the_web_and_the_api_trash(acme, world, api_as, as_member):
    raj, ravi = world["raj"], world["ravi"]
    response = api_as(acme.olga).post(
        "/api/v1/leads/bulk", {"ids": [raj.pk], "action": "delete"}, content_type="application/json"
    )
    assert response.json() == {"changed": 1}
    as_member(acme.olga).post("/leads/bulk/", {"ids": [ravi.pk], "action": "delete", "confirm": "yes"})
    assert set(TrashedLead.objects.values_list("pk", flat=True)) == {raj.pk, ravi.pk}
    assert not Lead.objects.filter(organisation=acme.org).exists()


def test_an_unsubscribe_while_in_the_trash_holds_after_restore(acme, world):
    from django.test import Client

    from leadtracker.leads.consent import unsubscribe_url

    raj = world["raj"]
    raj.refresh_from_db()
    assert raj.marketing_consent
    path = unsubscribe_url(raj).split("://", 1)[1].split("/", 1)[1]
    trash_leads(Lead.objects.filter(pk=raj.pk), actor=Actor.system(), by=acme.olga)
    response = Client().post(f"/{path}")
    assert "holds nothing more" in response.content.decode()  # the same neutral page as for a gone lead

    restore_lead(TrashedLead.objects.get(pk=raj.pk), actor=Actor.system(), by=acme.olga)
    raj.refresh_from_db()
    assert not raj.marketing_consent
    last = ConsentEvent.objects.filter(lead=raj).latest("pk")
    assert not last.given and last.method == "unsubscribe_link" and "in the trash" in last.note
