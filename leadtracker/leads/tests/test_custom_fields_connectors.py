"""A connector's field mapping can fill a custom field (``fields.budget``): the generic webhook's
paths and a Facebook form's questions. The value is checked as the API checks it; one that does
not fit is left out, the lead is still made, and the payload keeps the reason."""

import pytest

from leadtracker.accounts.audit import Actor
from leadtracker.integrations.meta.mapping import lead_of
from leadtracker.integrations.models import Connector
from leadtracker.integrations.tests.util import connector, post_json, work_off
from leadtracker.integrations.webhook.mapping import clean
from leadtracker.integrations.webhook.paths import BadPath
from leadtracker.leads.fields.actions import create_field
from leadtracker.leads.models import Lead

MAPPING = {"name": "name", "phone": "phone", "fields.budget": "answers.budget", "fields.bhk": "answers.bhk"}


@pytest.fixture
def fields(acme):
    create_field(acme.org, label="Budget", type="money", actor=Actor.system())
    create_field(acme.org, label="BHK", type="choice", choices=["1", "2", "3"], actor=Actor.system())


def _deliver(client, acme, answers):
    made, generated = connector(acme, "webhook", mapping=MAPPING)
    body = {"name": "Ravi", "phone": "98765 43210", "answers": answers}
    assert post_json(client, made, body, **{"X-LeadTracker-Secret": generated["secret"]}).status_code == 200
    [payload] = work_off()
    return payload


def test_a_webhook_fills_custom_fields_typed(acme, fields, client):
    payload = _deliver(client, acme, {"budget": "45 lakh", "bhk": "2"})
    assert (payload.status, payload.error) == ("done", "")
    assert Lead.objects.get(pk=payload.lead_id).custom_fields == {"budget": 4500000, "bhk": "2"}


def test_a_value_that_does_not_fit_is_left_out_with_its_reason_and_the_lead_is_made(acme, fields, client):
    payload = _deliver(client, acme, {"budget": "45 lakh", "bhk": "7"})
    assert payload.status == "done"
    assert payload.error == "Made without fields.bhk: '7' is not one of 1, 2, 3"
    assert Lead.objects.get(pk=payload.lead_id).custom_fields == {"budget": 4500000}


def test_the_mapping_takes_a_custom_fields_key_and_nothing_else():
    assert clean({"phone": "p", "fields.budget": "b"}) == {"phone": "p", "fields.budget": "b"}
    with pytest.raises(BadPath, match="fields.Budget!: not a lead field"):
        clean({"phone": "p", "fields.Budget!": "b"})


def test_a_facebook_question_maps_onto_a_custom_field(acme, fields):
    # lead_of reads the connector's mapping and organisation only (the Graph's part is tested
    # in integrations/meta/tests).
    made = Connector(
        organisation=acme.org,
        kind="facebook",
        options={"mapping": {"*": {"budget_range": "fields.budget", "bhk": "fields.bhk"}}},
    )
    answers = [
        {"name": "full_name", "values": ["Priya"]},
        {"name": "phone_number", "values": ["+919812345678"]},
        {"name": "budget_range", "values": ["60L"]},
        {"name": "bhk", "values": ["4"]},
    ]
    mapped = lead_of(made, {}, {"field_data": answers, "form_id": "9001"})
    assert mapped.data.custom_fields == {"budget": 6000000}
    assert mapped.left_out == ["fields.bhk: '4' is not one of 1, 2, 3"]
