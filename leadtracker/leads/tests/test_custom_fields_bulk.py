"""Bulk edit of custom fields through the API: one value set on many leads (audited per lead),
a bad value refuses the whole batch naming fields.<key>, an agent cannot bulk-edit."""

from leadtracker.accounts.audit import Actor
from leadtracker.accounts.models import AuditEvent
from leadtracker.leads.fields import actions
from leadtracker.leads.models import Lead


def test_bulk_sets_a_custom_value(acme, api_as, new_lead):
    actions.create_field(acme.org, label="BHK", type="choice", choices=["2", "3"], actor=Actor.system())
    ids = [
        new_lead(acme, name=f"L{i}", phone=f"98765 4000{i}", custom_fields={"bhk": "2"}).pk for i in range(3)
    ]
    client = api_as(acme.maya)
    body = {"ids": ids, "action": "fields", "fields": {"bhk": "3"}}
    response = client.post("/api/v1/leads/bulk", body, content_type="application/json")
    assert response.status_code == 200 and response.json() == {"changed": 3}
    assert {lead.custom_fields["bhk"] for lead in Lead.objects.filter(pk__in=ids)} == {"3"}
    assert AuditEvent.objects.filter(action="lead.update", object_id__in=[str(i) for i in ids]).count() == 3
    bad = client.post("/api/v1/leads/bulk", {**body, "fields": {"bhk": "9"}}, content_type="application/json")
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "fields.bhk"
    assert {lead.custom_fields["bhk"] for lead in Lead.objects.filter(pk__in=ids)} == {"3"}
    agent = api_as(acme.alice).post("/api/v1/leads/bulk", body, content_type="application/json")
    assert agent.status_code == 403


def test_the_list_bulk_form_sets_a_custom_field(acme, as_member, new_lead):
    actions.create_field(acme.org, label="BHK", type="choice", choices=["2", "3"], actor=Actor.system())
    ids = [new_lead(acme, name=f"L{i}", phone=f"98765 4100{i}").pk for i in range(2)]
    client = as_member(acme.maya)
    assert "Set a custom field" in client.get("/leads/").content.decode()
    form = {"action": "field", "ids": ids, "bulk_field": "bhk", "bulk_value": "3"}
    page = client.post("/leads/bulk/", form, follow=True).content.decode()
    assert "2 leads changed." in page
    assert {lead.custom_fields.get("bhk") for lead in Lead.objects.filter(pk__in=ids)} == {"3"}
    page = client.post("/leads/bulk/", {**form, "bulk_value": "7"}, follow=True).content.decode()
    assert "is not one of 2, 3" in page
    assert {lead.custom_fields.get("bhk") for lead in Lead.objects.filter(pk__in=ids)} == {"3"}
