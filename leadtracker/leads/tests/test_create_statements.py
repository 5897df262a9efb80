"""Creating a lead costs what it must: a pinned number of statements, whatever the organisation
already holds, and an answer built from what was written that equals the lead read back."""

import json

from django.db import connection
from django.test.utils import CaptureQueriesContext
from ninja.responses import NinjaJSONEncoder

from leadtracker.leads.api.schemas import LeadOut, with_related
from leadtracker.leads.models import Lead

# In a test, inside its transaction: the token, the membership, the throttle's upsert (a served
# request counts in memory: accounts/throttle.py), the create's savepoint and its release (a
# served request's BEGIN and COMMIT), custom field definitions, the default status, a savepoint,
# the lead, its number, the release, the tags (one upsert that returns them), the lead's tags,
# the timeline entry, the audit event, calls and call-backs of that number linked, webhooks,
# assignment rules. 19 here is 16 for `leadtracker serve` (bench/bench_http.py counts them).
STATEMENTS = 19


def create(client, number: str, tags: list[str]):
    body = {"name": "Asha", "phones": [number], "tags": tags, "city": "Pune", "value": "1250.5"}
    with CaptureQueriesContext(connection) as ctx:
        response = client.post("/api/v1/leads", body, content_type="application/json")
    assert response.status_code == 201, response.content
    return response.json(), [q["sql"] for q in ctx.captured_queries]


def test_a_create_runs_a_fixed_number_of_statements(acme, api_as, new_lead):
    client = api_as(acme.olga)
    client.get("/api/v1/me")  # the token's last use is written once; measure the steady state
    first, statements = create(client, "+919812345678", ["hot", "pune"])
    assert len(statements) == STATEMENTS, "\n".join(statements)
    for i in range(30):  # an organisation with more leads, tags and numbers
        new_lead(acme, name=f"Other {i}", phones=[f"+9198100{i:05d}"], tags=[f"t{i}", "hot"])
    _second, statements = create(client, "+919812345679", ["hot", "new"])
    assert len(statements) == STATEMENTS, "\n".join(statements)


def test_the_answer_is_the_lead_as_read_back(acme, api_as):
    client = api_as(acme.olga)
    answer, _statements = create(client, "+919812345670", ["pune", "hot"])
    read_back = LeadOut.of(with_related(Lead.objects.filter(pk=answer["id"])).get())
    assert answer == json.loads(json.dumps(read_back.model_dump(), cls=NinjaJSONEncoder))
    assert answer["phones"] == ["+919812345670"] and answer["tags"] == ["hot", "pune"]
