"""Reading personal data is audited: opening a lead (page and API), listing its calls (page,
API, CSV) and searching by a number (lists and API) each write one event, with ids and a keyed
fingerprint of the number only — never a name or a number."""

import json

import pytest

from leadtracker.accounts.audit import Actor, number_fingerprint
from leadtracker.accounts.models import AuditEvent
from leadtracker.calls.actions import log_call
from leadtracker.leads.actions.leads import LeadData, create_lead


def access_events(org):
    return list(
        AuditEvent.objects.filter(
            organisation=org, action__in=["lead.view", "lead.calls_view", "lead.search_number"]
        ).order_by("pk")
    )


@pytest.fixture
def lead(acme, new_lead):
    return new_lead(acme, name="Sunita Rao", phones=["98765 43210"], email="sunita@example.in", by=acme.alice)


def test_opening_a_lead_on_the_page_and_the_api(acme, lead, as_member, api_as):
    assert as_member(acme.alice).get(f"/leads/{lead.pk}/", REMOTE_ADDR="203.0.113.7").status_code == 200
    assert api_as(acme.maya).get(f"/api/v1/leads/{lead.pk}").status_code == 200
    assert api_as(acme.maya).get(f"/api/v1/leads/{lead.pk}/timeline").status_code == 200
    web, api, timeline = access_events(acme.org)
    assert (web.action, web.object_type, web.object_id) == ("lead.view", "lead", str(lead.pk))
    assert web.actor_user == acme.alice.user and web.ip_address == "203.0.113.7"
    assert web.changes == {"via": "web"}
    assert api.actor_user == acme.maya.user and api.actor_token is not None
    assert api.changes == {"via": "api"}
    assert timeline.changes == {"via": "api", "part": "timeline"}


def test_a_lead_nobody_may_open_writes_nothing(acme, globex, lead, as_member, api_as):
    assert as_member(acme.carl).get(f"/leads/{lead.pk}/").status_code == 404
    assert api_as(globex.olga).get(f"/api/v1/leads/{lead.pk}").status_code == 404
    assert access_events(acme.org) == [] and access_events(globex.org) == []


def test_a_change_through_the_api_is_audited_as_the_change_not_as_a_view(acme, lead, api_as):
    response = api_as(acme.alice).patch(
        f"/api/v1/leads/{lead.pk}", {"city": "Pune"}, content_type="application/json"
    )
    assert response.status_code == 200
    assert access_events(acme.org) == []


def test_listing_a_leads_calls_through_the_api(acme, lead, as_member, api_as):
    # On the web a lead's calls are on its page (its timeline): opening it is the event.
    client = api_as(acme.adam)
    assert client.get(f"/api/v1/calls?lead={lead.pk}").status_code == 200
    (event,) = access_events(acme.org)
    assert (event.action, event.object_id, event.changes) == ("lead.calls_view", str(lead.pk), {"via": "api"})
    # All calls, or calls with any lead, are not one lead's: nothing to record.
    client.get("/api/v1/calls?lead=lead")
    client.get("/api/v1/calls")
    as_member(acme.adam).get("/calls/?lead=lead")
    assert len(access_events(acme.org)) == 1
    b"".join(as_member(acme.adam).get("/calls/?format=csv").streaming_content)
    assert AuditEvent.objects.filter(organisation=acme.org, action="call.export").count() == 1


def test_listing_the_calls_of_a_lead_nobody_may_open_writes_nothing(acme, globex, lead, as_member, api_as):
    globex_lead, _ = create_lead(
        globex.org, LeadData(name="Other", phones=["91234 56789"]), actor=Actor.system(), by=globex.olga
    )
    # Carl (another team) logged a call to Alice's lead: he sees his call, not her lead.
    theirs = log_call(acme.carl, lead=lead, actor=Actor.for_user(acme.carl.user))[0]
    answers = {
        "nobody's id": api_as(acme.adam).get("/api/v1/calls?lead=999999"),
        "another organisation's lead": api_as(acme.adam).get(f"/api/v1/calls?lead={globex_lead.pk}"),
        "a lead of another team": api_as(acme.carl).get(f"/api/v1/calls?lead={lead.pk}"),
    }
    # The answer keeps its contract (200, the calls the person may see); only the event goes.
    assert {k: r.status_code for k, r in answers.items()} == dict.fromkeys(answers, 200)
    assert answers["nobody's id"].json()["items"] == []
    assert answers["another organisation's lead"].json()["items"] == []
    assert [c["id"] for c in answers["a lead of another team"].json()["items"]] == [theirs.pk]
    assert access_events(acme.org) == [] and access_events(globex.org) == []
    assert not AuditEvent.objects.filter(action="lead.calls_view").exists()
    # Whoever may open the lead is recorded as before.
    assert api_as(acme.alice).get(f"/api/v1/calls?lead={lead.pk}").status_code == 200
    assert [(e.action, e.object_id) for e in access_events(acme.org)] == [("lead.calls_view", str(lead.pk))]


def test_searching_by_a_number_records_its_fingerprint_not_the_number(acme, lead, as_member, api_as):
    as_member(acme.alice).get("/leads/", {"q": "+91 98765 43210"})
    api_as(acme.alice).get("/api/v1/leads", {"q": "098765-43210"})
    as_member(acme.alice).get("/leads/", {"q": "Sunita"})  # a name search: not a number
    as_member(acme.alice).get("/leads/", {"q": "3210"})  # last digits: a number search too
    web, api, digits = access_events(acme.org)
    assert web.action == api.action == digits.action == "lead.search_number"
    fingerprint = number_fingerprint(acme.org.pk, "+919876543210", "IN")
    assert web.changes == {"via": "web", "number_hash": fingerprint, "digits": 12}
    assert api.changes == {"via": "api", "number_hash": fingerprint, "digits": 11}
    assert digits.changes["number_hash"] == number_fingerprint(acme.org.pk, "3210") != fingerprint
    stored = json.dumps([e.changes for e in access_events(acme.org)]) + repr(
        list(AuditEvent.objects.values_list("object_id", "user_agent"))
    )
    for form in ("9876543210", "98765", "43210", "Sunita", "sunita@"):
        assert form not in stored


def test_the_next_pages_of_one_search_are_not_recorded_again(acme, new_lead, api_as):
    for i in range(3):
        new_lead(acme, name=f"Lead {i}", phones=[f"98765 4{i}321"], by=acme.alice)
    client = api_as(acme.alice)
    first = client.get("/api/v1/leads", {"q": "321", "limit": 1}).json()
    assert first["next_cursor"]
    client.get("/api/v1/leads", {"q": "321", "limit": 1, "cursor": first["next_cursor"]})
    assert len(access_events(acme.org)) == 1


def test_the_fingerprint_is_keyed_per_organisation(acme, globex):
    assert number_fingerprint(acme.org.pk, "+919876543210") != number_fingerprint(
        globex.org.pk, "+919876543210"
    )
    assert number_fingerprint(acme.org.pk, "+91 98765 43210") == number_fingerprint(
        acme.org.pk, "09876543210"
    )


def test_admins_find_who_searched_for_a_number(acme, lead, as_member, api_as):
    as_member(acme.alice).get("/leads/", {"q": "98765 43210"})
    as_member(acme.carl).get("/leads/", {"q": "91234 56789"})
    page = as_member(acme.adam).get("/audit/", {"number": "+91-98765-43210"}).content.decode()
    assert page.count("lead.search_number") == 1
    assert ">Alice Acme</td>" in page and ">Carl Acme</td>" not in page  # the Who cells
    items = api_as(acme.adam).get("/api/v1/audit-events", {"number": "9876543210"}).json()["items"]
    assert [(e["action"], e["actor_user_id"]) for e in items] == [("lead.search_number", acme.alice.user_id)]
