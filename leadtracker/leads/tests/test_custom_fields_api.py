"""Custom fields through the API: /fields (admins make, change, archive; everyone reads), a
lead's ``fields`` typed and validated on create and update (422 naming fields.<key>), list
filters (eq / in / range / empty), hidden-from-agents on the server, another organisation's keys."""

import pytest

from leadtracker.accounts.audit import Actor
from leadtracker.accounts.models import AuditEvent
from leadtracker.leads.fields import actions
from leadtracker.leads.models import Lead


def post(client, url, body):
    return client.post(url, body, content_type="application/json")


def patch(client, url, body):
    return client.patch(url, body, content_type="application/json")


@pytest.fixture
def realty(acme):
    """Acme as a property dealer: budget (money), BHK (choice), amenities (multiple), possession
    (date), a hidden commission (number) and a required locality."""
    sys = Actor.system()
    org = acme.org
    actions.create_field(org, label="Budget", type="money", actor=sys)
    actions.create_field(org, label="BHK", type="choice", choices=["1", "2", "3", "4+"], actor=sys)
    actions.create_field(
        org, label="Amenities", type="multiple_choice", choices=["Gym", "Pool", "Park"], actor=sys
    )
    actions.create_field(org, label="Possession", type="date", section="Property", actor=sys)
    actions.create_field(org, label="Commission", type="number", hidden_from_agents=True, actor=sys)
    actions.create_field(org, label="Locality", type="text", required=True, actor=sys)
    return acme


def test_admin_adds_a_field_and_everyone_reads_those_they_work_with(realty, api_as):
    admin = api_as(realty.adam)
    made = post(admin, "/api/v1/fields", {"label": "Loan type", "type": "choice", "choices": ["Home", "Car"]})
    assert made.status_code == 201, made.content
    assert made.json()["key"] == "loan_type" and made.json()["choices"] == ["Home", "Car"]
    assert AuditEvent.objects.filter(action="field.create", object_id=str(made.json()["id"])).exists()
    again = post(admin, "/api/v1/fields", {"label": "Loan type", "type": "text"})
    assert again.status_code == 409 and again.json()["errors"][0]["field"] == "key"
    no_choices = post(admin, "/api/v1/fields", {"label": "Course", "type": "choice"})
    assert no_choices.status_code == 400 and no_choices.json()["errors"][0]["field"] == "choices"
    assert post(api_as(realty.maya), "/api/v1/fields", {"label": "X", "type": "text"}).status_code == 403
    keys = [f["key"] for f in api_as(realty.alice).get("/api/v1/fields").json()]
    assert "commission" not in keys and keys[:2] == ["budget", "bhk"]
    assert "commission" in [f["key"] for f in admin.get("/api/v1/fields").json()]


def test_lead_fields_written_typed_and_read_back(realty, api_as):
    client = api_as(realty.olga)
    body = {
        "name": "Ravi",
        "phones": ["98765 43210"],
        "fields": {
            "budget": "45 L",
            "bhk": "2",
            "amenities": ["pool", "Gym"],
            "possession": "2027-03-01",
            "commission": 1.5,
            "locality": "Baner",
        },
    }
    created = post(client, "/api/v1/leads", body)
    assert created.status_code == 201, created.content
    assert created.json()["fields"] == {
        "budget": 4500000,
        "bhk": "2",
        "amenities": ["Gym", "Pool"],
        "possession": "2027-03-01",
        "commission": 1.5,
        "locality": "Baner",
    }
    lead_id = created.json()["id"]
    changed = patch(client, f"/api/v1/leads/{lead_id}", {"fields": {"bhk": "3", "possession": None}})
    assert changed.status_code == 200, changed.content
    fields = changed.json()["fields"]
    assert fields["bhk"] == "3" and "possession" not in fields and fields["budget"] == 4500000
    assert Lead.objects.get(pk=lead_id).custom_fields["bhk"] == "3"
    event = AuditEvent.objects.filter(action="lead.update", object_id=str(lead_id)).latest("pk")
    assert event.changes == {"fields": ["custom_fields"]}
    listed = client.get("/api/v1/leads").json()["items"]
    assert listed[0]["fields"] == fields


@pytest.mark.parametrize(
    "fields, key, words",
    [
        ({"budget": "lots", "locality": "x"}, "budget", "not an amount"),
        ({"bhk": "7", "locality": "x"}, "bhk", "not one of"),
        ({"possession": "31/02/2027", "locality": "x"}, "possession", "not a date"),
        ({"budget": 1}, "locality", "required"),
        ({"plot_size": 1, "locality": "x"}, "plot_size", "no such field"),
    ],
)
def test_a_bad_value_is_422_naming_the_field(realty, api_as, fields, key, words):
    response = post(
        api_as(realty.olga), "/api/v1/leads", {"name": "R", "phones": ["98765 43210"], "fields": fields}
    )
    assert response.status_code == 422, response.content
    error = response.json()["errors"][0]
    assert error["field"] == f"fields.{key}" and words in error["message"]
    assert not Lead.objects.exists()


def test_another_organisations_keys_are_refused(realty, globex, api_as):
    actions.create_field(globex.org, label="Course", type="text", actor=Actor.system())
    client = api_as(realty.olga)
    response = post(
        client,
        "/api/v1/leads",
        {"name": "R", "phones": ["98765 43210"], "fields": {"course": "MBA", "locality": "x"}},
    )
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "fields.course"
    assert client.get("/api/v1/leads?field=course:eq:MBA").status_code == 422
    globex_field = actions.create_field(globex.org, label="Batch", type="text", actor=Actor.system())
    assert (
        api_as(realty.adam)
        .patch(f"/api/v1/fields/{globex_field.pk}", {"label": "Mine"}, content_type="application/json")
        .status_code
        == 404
    )
    assert post(api_as(realty.adam), f"/api/v1/fields/{globex_field.pk}/archive", {}).status_code == 404


def test_hidden_from_agents_on_the_server(realty, api_as, new_lead):
    lead = new_lead(realty, owner=realty.alice, custom_fields={"commission": 2, "locality": "Baner"})
    agent = api_as(realty.alice)
    assert agent.get(f"/api/v1/leads/{lead.pk}").json()["fields"] == {"locality": "Baner"}
    assert agent.get("/api/v1/leads").json()["items"][0]["fields"] == {"locality": "Baner"}
    refused = patch(agent, f"/api/v1/leads/{lead.pk}", {"fields": {"commission": 9}})
    assert refused.status_code == 422 and refused.json()["errors"][0]["field"] == "fields.commission"
    assert agent.get("/api/v1/leads?field=commission:filled").status_code == 422
    kept = patch(agent, f"/api/v1/leads/{lead.pk}", {"fields": {"locality": "Aundh"}})
    assert kept.json()["fields"] == {"locality": "Aundh"}
    lead.refresh_from_db()
    assert lead.custom_fields == {"commission": 2, "locality": "Aundh"}  # the hidden value stays
    assert patch(agent, f"/api/v1/leads/{lead.pk}", {"fields": {"locality": ""}}).status_code == 422


def test_list_filters_equals_one_of_range_empty(realty, api_as, new_lead):
    made = {}
    for name, phone, fields in (
        ("a", "98765 40001", {"bhk": "2", "budget": 4500000, "amenities": ["Gym"]}),
        ("b", "98765 40002", {"bhk": "2", "budget": 7000000, "possession": "2027-01-10"}),
        ("c", "98765 40003", {"bhk": "3", "budget": 5500000, "amenities": ["Pool", "Park"]}),
        ("d", "98765 40004", {}),
    ):
        made[name] = new_lead(realty, name=name, phone=phone, custom_fields=fields).pk
    client = api_as(realty.olga)

    def names(query):
        response = client.get(f"/api/v1/leads?{query}&sort=name")
        assert response.status_code == 200, response.content
        return [i["name"] for i in response.json()["items"]]

    assert names("field=bhk:eq:2") == ["a", "b"]
    assert names("field=bhk:in:2|3") == ["a", "b", "c"]
    assert names("field=budget:range:40L..60L") == ["a", "c"]
    assert names("field=bhk:eq:2&field=budget:range:40L..60L") == ["a"]
    assert names("field=budget:range:50L..") == ["b", "c"]
    assert names("field=possession:range:2027-01-01..2027-01-31") == ["b"]
    assert names("field=bhk:empty") == ["d"]
    assert names("field=budget:filled") == ["a", "b", "c"]
    assert names("field=amenities:eq:gym") == ["a"]
    assert names("field=amenities:in:Park|Gym") == ["a", "c"]
    bad = client.get("/api/v1/leads?field=bhk:range:1..2")
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "field"
    assert client.get("/api/v1/leads?field=budget:range:x..y").status_code == 422


def test_archived_field_keeps_its_values_and_takes_no_new_ones(realty, api_as, new_lead):
    lead = new_lead(realty, custom_fields={"bhk": "2", "locality": "Baner"})
    admin = api_as(realty.adam)
    bhk = next(f for f in admin.get("/api/v1/fields").json() if f["key"] == "bhk")
    assert post(admin, f"/api/v1/fields/{bhk['id']}/archive", {}).json()["archived_at"]
    assert "bhk" not in [f["key"] for f in admin.get("/api/v1/fields").json()]
    assert "bhk" in [f["key"] for f in admin.get("/api/v1/fields?archived=true").json()]
    assert admin.get(f"/api/v1/leads/{lead.pk}").json()["fields"]["bhk"] == "2"
    refused = patch(admin, f"/api/v1/leads/{lead.pk}", {"fields": {"bhk": "3"}})
    assert refused.status_code == 422 and "archived" in refused.json()["errors"][0]["message"]
    assert post(admin, f"/api/v1/fields/{bhk['id']}/restore", {}).json()["archived_at"] is None
    assert AuditEvent.objects.filter(action__in=["field.archive", "field.restore"]).count() == 2


def test_filters_documented_in_openapi(acme, api_as):
    doc = api_as(acme.olga).get("/api/v1/openapi.json").json()
    params = {p["name"]: p for p in doc["paths"]["/api/v1/leads"]["get"]["parameters"]}
    assert "range" in params["field"]["description"] and "/api/v1/fields" in doc["paths"]


def test_sort_by_a_custom_field_pages_with_its_cursor(realty, api_as, new_lead):
    for name, phone, budget in (("a", "98765 40001", 7000000), ("b", "98765 40002", 4500000)) + (
        ("c", "98765 40003", 12000000),
        ("d", "98765 40004", None),
        ("e", "98765 40005", 4500000),
    ):
        new_lead(realty, name=name, phone=phone, custom_fields={} if budget is None else {"budget": budget})
    client = api_as(realty.olga)

    def walk(sort):
        seen, url = [], f"/api/v1/leads?sort={sort}&limit=2"
        while url:
            page = client.get(url)
            assert page.status_code == 200, page.content
            seen += [i["name"] for i in page.json()["items"]]
            cursor = page.json()["next_cursor"]
            url = cursor and f"/api/v1/leads?sort={sort}&limit=2&cursor={cursor}"
        return seen

    assert walk("fields.budget") == ["b", "e", "a", "c", "d"]  # no value last
    assert walk("-fields.budget") == ["c", "a", "e", "b", "d"]
    assert client.get("/api/v1/leads?sort=fields.nope").status_code == 422
    assert api_as(realty.alice).get("/api/v1/leads?sort=fields.commission").status_code == 422


def test_an_edit_may_leave_a_never_filled_required_value_empty(realty, api_as, new_lead):
    imported = new_lead(realty, custom_fields={"bhk": "2"})  # an import need not fill locality
    client = api_as(realty.olga)
    kept = patch(client, f"/api/v1/leads/{imported.pk}", {"fields": {"locality": "", "bhk": "3"}})
    assert kept.status_code == 200 and kept.json()["fields"] == {"bhk": "3"}
    patch(client, f"/api/v1/leads/{imported.pk}", {"fields": {"locality": "Baner"}})
    cleared = patch(client, f"/api/v1/leads/{imported.pk}", {"fields": {"locality": None}})
    assert cleared.status_code == 422 and cleared.json()["errors"][0]["field"] == "fields.locality"
