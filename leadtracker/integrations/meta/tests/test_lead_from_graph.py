"""The worker fetches each lead from the Graph API and makes it a lead: attributed to the form,
assigned by the source's rules, the custom answers in a note; the same lead sent five times
(Meta retries for 36 hours) is one lead."""

from leadtracker.accounts.audit import Actor
from leadtracker.integrations.meta.mapping import lead_of
from leadtracker.integrations.meta.tests.deliveries import delivery, send
from leadtracker.integrations.models import Payload
from leadtracker.integrations.tests.util import work_off
from leadtracker.leads.actions.assignment import save_assignment_rule
from leadtracker.leads.models import Activity, Lead


def test_a_lead_arrives_with_its_form_and_answers(client, facebook, graph, acme):
    graph.forms["9001"] = "Diwali 2BHK form"
    graph.add_lead(
        "lg-1",
        full_name="Priya Sharma",
        phone_number="+919812345678",
        email="priya@example.in",
        city="Pune",
        when_do_you_want_to_buy="Within 3 months",
    )
    assert send(client, facebook, delivery("lg-1")).status_code == 200
    [payload] = work_off()
    assert payload.status == "done", payload.error
    lead = Lead.objects.get(pk=payload.lead_id)
    got = (lead.name, lead.phone, lead.email, lead.city)
    assert got == ("Priya Sharma", "+919812345678", "priya@example.in", "Pune")
    assert lead.source == facebook.source and lead.source.name == "Facebook Lead Ads"
    assert lead.extra["attribution"] == "Facebook: Diwali 2BHK form, Diwali offers"
    note = Activity.objects.get(lead=lead, kind="note")
    assert "Facebook: Diwali 2BHK form" in note.body
    assert "when do you want to buy: Within 3 months" in note.body
    asked = graph.requests[0]
    assert asked["path"] == "/v21.0/lg-1" and asked["access_token"] == graph.token
    assert asked["fields"] == "id,created_time,field_data,form_id,ad_id,campaign_name"


def test_the_same_lead_five_times_is_one_lead(client, facebook, graph, acme):
    graph.add_lead("lg-7", full_name="Ravi Kumar", phone_number="98111 22334")
    for _ in range(5):
        assert send(client, facebook, delivery("lg-7")).status_code == 200
    assert Payload.objects.count() == 1
    work_off()
    assert Lead.objects.filter(organisation=acme.org).count() == 1
    assert [r["path"] for r in graph.requests].count("/v21.0/lg-7") == 1  # fetched once


def test_the_lead_is_assigned_by_the_rule_for_its_source(client, facebook, graph, acme):
    save_assignment_rule(
        acme.org,
        name="Facebook to Bob",
        source=facebook.source,
        agent_ids=[acme.bob.user_id],
        only_on_shift=False,
        actor=Actor.for_user(acme.adam.user),
    )
    graph.add_lead("lg-8", full_name="Meena Iyer", phone_number="98222 33445")
    send(client, facebook, delivery("lg-8"))
    [payload] = work_off()
    assert Lead.objects.get(pk=payload.lead_id).owner_id == acme.bob.user_id


def test_a_form_without_its_name_is_named_in_the_organisations_language(facebook):
    # The attribution opens the lead's note: words in the organisation's language (issue 20 §3).
    lead = {"form_id": "9001", "field_data": [{"name": "phone_number", "values": ["+919812345678"]}]}
    facebook.organisation.language = "hi"
    assert lead_of(facebook, {}, lead).attribution == "Facebook: फ़ॉर्म 9001"
    assert lead_of(facebook, {}, {**lead, "form_id": ""}).attribution == "Facebook: एक लीड फ़ॉर्म"
    assert lead_of(facebook, {}, lead, form_name="Diwali 2BHK").attribution == "Facebook: Diwali 2BHK"
    facebook.organisation.language = "en-in"
    assert lead_of(facebook, {}, lead).attribution == "Facebook: form 9001"
