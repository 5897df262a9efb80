"""GET /api/v1/leads writes its JSON from plain rows for speed; it must say exactly what the
declared schema (LeadOut) says for the same leads, field by field."""

import json

from ninja.responses import NinjaJSONEncoder

from leadtracker.leads.api.schemas import LeadOut, LeadPage
from leadtracker.leads.models import Lead


def test_the_list_is_exactly_leadout_for_each_lead(acme, new_lead, api_as):
    from leadtracker.accounts.audit import Actor
    from leadtracker.leads.actions.settings import create_source

    source = create_source(acme.org, "Website", actor=Actor.system())
    new_lead(
        acme,
        name="राजेश कुमार 🙂",
        phones=["98765 43210", "+91 99999 11111"],
        tags=["hot", "2BHK"],
        value="4500000",
        email="r@example.in",
        source=source,
        owner_id=acme.alice.user_id,
    )
    new_lead(acme, name="Plain", phone="91234 56789")
    lead = Lead.objects.get(name="Plain")
    lead.extra = {"ad_id": "123", "nested": {"a": [1, 2]}}
    lead.save()
    response = api_as(acme.olga).get("/api/v1/leads?limit=1")
    assert response.status_code == 200
    page = response.json()
    LeadPage.model_validate(page)  # the declared schema accepts it
    assert page["next_cursor"]
    rest = api_as(acme.olga).get(f"/api/v1/leads?limit=5&cursor={page['next_cursor']}").json()
    items = page["items"] + rest["items"]
    assert len(items) == 2
    for item in items:
        expected = json.loads(
            json.dumps(LeadOut.of(Lead.objects.get(pk=item["id"])).model_dump(), cls=NinjaJSONEncoder)
        )
        assert item == expected
    rich = next(i for i in items if i["name"].startswith("राजेश"))
    assert rich["phones"] == ["+919876543210", "+919999911111"] and rich["tags"] == ["2BHK", "hot"]
    assert rich["source"] == "Website" and rich["value"] == "4500000.00"
