"""The leads API: create, read, change, list with filters and keyset pages, bulk actions."""

import datetime as dt

from django.utils import timezone

from leadtracker.leads.models import Lead
from leadtracker.testing import clocks


def post(client, url, body):
    return client.post(url, body, content_type="application/json")


def test_create_read_update(acme, api_as):
    client = api_as(acme.alice)
    created = post(
        client,
        "/api/v1/leads",
        {
            "name": "रवि 🙂",
            "phones": ["98765 43210", "+91 91234 56789"],
            "email": "Ravi@Example.in",
            "value": "250000",
            "tags": ["hot"],
            "note": "Wants a 2BHK",
        },
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["phones"] == ["+919876543210", "+919123456789"] and body["email"] == "ravi@example.in"
    assert body["owner_id"] == acme.alice.user_id and body["status"] == "New" and body["tags"] == ["hot"]
    lead_id = body["id"]
    patched = client.patch(
        f"/api/v1/leads/{lead_id}", {"city": "Pune", "do_not_call": True}, content_type="application/json"
    )
    assert patched.json()["city"] == "Pune" and patched.json()["do_not_call"] is True
    timeline = client.get(f"/api/v1/leads/{lead_id}/timeline").json()
    assert [a["kind"] for a in timeline] == ["updated", "note", "created"]


def test_duplicate_answers_409_and_can_be_folded(acme, api_as):
    client = api_as(acme.olga)
    first = post(client, "/api/v1/leads", {"name": "A", "phones": ["98765 43210"]}).json()
    again = post(client, "/api/v1/leads", {"name": "B", "phones": ["+919876543210"]})
    assert again.status_code == 409 and again.json()["errors"][0]["field"] == "phone"
    folded = post(
        client, "/api/v1/leads?on_duplicate=update", {"name": "B", "phones": ["9876543210"], "city": "Agra"}
    )
    assert folded.json()["id"] == first["id"] and folded.json()["city"] == "Agra"


def test_agent_does_not_learn_about_leads_they_cannot_see(acme, api_as):
    post(api_as(acme.bob), "/api/v1/leads", {"name": "Bob's", "phones": ["98765 43210"]})
    response = post(api_as(acme.alice), "/api/v1/leads", {"name": "Mine", "phones": ["98765 43210"]})
    assert response.status_code == 409
    assert response.json()["detail"] == "a lead with this phone exists"  # no id of a lead she cannot open


def test_bad_input_names_the_field_and_stores_nothing(acme, api_as):
    client = api_as(acme.olga)
    for body, field in [
        ({"name": "X", "phones": ["12"]}, "phone"),
        ({"name": "X", "email": "nope"}, "email"),
        ({"name": "X"}, "phone"),
        ({"phones": ["98765 43210"], "sms_body": "hi"}, "sms_body"),
        ({"name": "X", "phones": ["98765 43210"], "value": -5}, "value"),
    ]:
        response = post(client, "/api/v1/leads", body)
        assert response.status_code in (400, 422), body
        assert response.json()["errors"][0]["field"] == field, (body, response.json())
    assert not Lead.objects.exists()


def test_list_filters_sort_and_keyset_pages(acme, api_as, new_lead):
    now = timezone.now()
    for i in range(12):
        lead = new_lead(
            acme, name=f"L{i:02d}", phone=f"98765 432{i:02d}", by=acme.alice if i % 2 else acme.bob
        )
        Lead.objects.filter(pk=lead.pk).update(
            next_follow_up_at=None if i % 3 == 0 else now + dt.timedelta(hours=i)
        )
    client = api_as(acme.olga)
    seen, cursor = [], None
    while True:
        url = f"/api/v1/leads?owner={acme.alice.user_id}&limit=2" + (f"&cursor={cursor}" if cursor else "")
        page = client.get(url).json()
        seen += [item["name"] for item in page["items"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert seen == ["L01", "L05", "L07", "L11", "L03", "L09"]  # by next follow-up, the unplanned last
    newest = client.get("/api/v1/leads?sort=-created&limit=3").json()["items"]
    assert [i["name"] for i in newest] == ["L11", "L10", "L09"]
    assert len(client.get("/api/v1/leads?q=43205").json()["items"]) == 1


def test_agent_lists_only_own_and_manager_sees_unassigned(acme, api_as, new_lead):
    new_lead(acme, name="Alice's", phone="98765 43210", by=acme.alice)
    new_lead(acme, name="Nobody's", phone="98765 43211", by=acme.olga)
    names = lambda m: sorted(i["name"] for i in api_as(m).get("/api/v1/leads").json()["items"])  # noqa: E731
    assert names(acme.alice) == ["Alice's"]
    assert names(acme.bob) == []
    assert names(acme.maya) == ["Alice's", "Nobody's"]
    assert names(acme.olga) == ["Alice's", "Nobody's"]


def test_bulk_actions(acme, api_as, new_lead):
    ids = [new_lead(acme, name=f"B{i}", phone=f"98765 4321{i}").pk for i in range(3)]
    client = api_as(acme.maya)
    assert post(
        client, "/api/v1/leads/bulk", {"ids": ids, "action": "assign", "owner_id": acme.bob.user_id}
    ).json() == {"changed": 3}
    contacted = acme.org.lead_statuses.get(name="Contacted").pk
    assert post(
        client, "/api/v1/leads/bulk", {"ids": ids, "action": "status", "status_id": contacted}
    ).json() == {"changed": 3}
    assert post(
        client, "/api/v1/leads/bulk", {"ids": ids[:2], "action": "tag", "tags": ["diwali"]}
    ).json() == {"changed": 2}
    assert post(api_as(acme.bob), "/api/v1/leads/bulk", {"ids": ids, "action": "delete"}).status_code == 403
    assert post(client, "/api/v1/leads/bulk", {"ids": ids, "action": "delete"}).json() == {"changed": 3}
    assert not Lead.objects.filter(pk__in=ids).exists()


def test_pipeline_is_configurable_and_status_change_is_recorded(acme, api_as, new_lead):
    admin = api_as(acme.olga)
    statuses = admin.get("/api/v1/statuses").json()
    assert [s["name"] for s in statuses] == [
        "New",
        "Contacted",
        "Interested",
        "Meeting/Site visit",
        "Negotiation",
        "Won",
        "Lost",
    ]
    rows = [{"id": s["id"], "name": s["name"], "kind": s["kind"]} for s in statuses]
    rows.insert(2, {"name": "Site visit done", "kind": "open"})
    assert (
        admin.put("/api/v1/statuses", {"statuses": rows}, content_type="application/json").status_code == 200
    )
    assert [s["name"] for s in admin.get("/api/v1/statuses").json()][2] == "Site visit done"
    lead = new_lead(acme, name="Raj", phone="98765 43210", by=acme.alice)
    lost = next(s for s in statuses if s["name"] == "Lost")["id"]
    changed = post(
        api_as(acme.alice), f"/api/v1/leads/{lead.pk}/status", {"status_id": lost, "lost_reason": "Budget"}
    )
    assert changed.json()["status_kind"] == "lost" and changed.json()["lost_reason"] == "Budget"
    entry = api_as(acme.alice).get(f"/api/v1/leads/{lead.pk}/timeline").json()[0]
    assert entry["kind"] == "status" and entry["actor_id"] == acme.alice.user_id
    assert entry["data"]["from_name"] == "New" and entry["data"]["to_name"] == "Lost"
    assert (
        api_as(acme.maya)
        .put("/api/v1/statuses", {"statuses": rows}, content_type="application/json")
        .status_code
        == 403
    )


@clocks("sunday", "23:55")
def test_follow_up_and_agenda_through_api(frozen_at, acme, api_as, new_lead):
    lead = new_lead(acme, name="Raj", phone="98765 43210", by=acme.alice)
    client = api_as(acme.alice)
    now = timezone.now()
    due = now + dt.timedelta(hours=1)
    fu = post(
        client, f"/api/v1/leads/{lead.pk}/follow-ups", {"due_at": due.isoformat(), "kind": "whatsapp"}
    ).json()
    # An hour from now is today's, or tomorrow's after 23:00 (this failed every night then).
    tz = acme.org.tzinfo
    today = due.astimezone(tz).date() == now.astimezone(tz).date()
    agenda = client.get("/api/v1/agenda").json()
    assert [f["id"] for f in agenda["today" if today else "upcoming"]] == [fu["id"]]
    done = post(client, f"/api/v1/follow-ups/{fu['id']}/done", {"outcome": "Interested"}).json()
    assert done["done_at"] and done["outcome"] == "Interested"


def test_agent_cannot_reach_someone_elses_lead_through_duplicate_modes(acme, api_as, new_lead):
    theirs = new_lead(acme, name="Bob's lead", phone="98765 43210", by=acme.bob)
    alice = api_as(acme.alice)
    for mode in ("skip", "update", "create"):
        response = post(
            alice,
            f"/api/v1/leads?on_duplicate={mode}",
            {"name": "x", "city": "Goa", "phones": ["9876543210"]},
        )
        assert response.status_code == 409, mode
        assert response.json()["detail"] == "a lead with this phone exists"
    theirs.refresh_from_db()
    assert theirs.city == "" and Lead.objects.filter(organisation=acme.org).count() == 1


def test_null_fields_and_bad_cursors_are_clear_errors(acme, api_as, as_member, new_lead):
    lead = new_lead(acme, name="Raj", phone="98765 43210", by=acme.alice)
    client = api_as(acme.alice)
    for field in ("do_not_call", "address", "name"):
        response = client.patch(f"/api/v1/leads/{lead.pk}", {field: None}, content_type="application/json")
        assert response.status_code == 400 and response.json()["errors"][0]["field"] == field
    response = client.get("/api/v1/leads?cursor=WyJub3QtYS1kYXRlIiwgMV0")  # ["not-a-date", 1]
    assert response.status_code == 400 and response.json()["errors"][0]["field"] == "cursor"
    assert as_member(acme.alice).get("/leads/?cursor=WyJub3QtYS1kYXRlIiwgMV0").status_code == 302
