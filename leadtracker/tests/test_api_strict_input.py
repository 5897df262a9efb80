"""A value in a request body must have the JSON type its schema says: no true for a number
({"reports_to": true} made member 1 the manager), no "3" for a number, no 1 for a boolean,
no number for a date; dates, times and choices come as text (issue 15 item 6)."""

import datetime as dt
import typing

import pytest
from pydantic import BaseModel

from leadtracker.api import api
from leadtracker.lib import schema
from leadtracker.lib.schema import HANDLER_READ_BODIES, Strict

# -- every input schema, from the API itself ----------------------------------------------


def input_schemas() -> dict[str, type[BaseModel]]:
    """The schema of every JSON body the API reads: ninja's body parameters, and the bodies
    handlers read themselves (documented with lib.schema.request_body)."""
    found = {}
    for _prefix, router in api._routers:
        for path, view in router.path_operations.items():
            for operation in view.operations:
                for model in operation.models:
                    if model.__ninja_param_source__ != "body":
                        continue
                    for field in model.model_fields.values():
                        for kind in (field.annotation, *typing.get_args(field.annotation)):
                            if isinstance(kind, type) and issubclass(kind, BaseModel):
                                found[f"{operation.methods[0]} {path}"] = kind
    for model in HANDLER_READ_BODIES:
        found[f"read by its handler: {model.__name__}"] = model
    return found


SCALARS = {"int", "bool", "float", "str"}  # JSON has these: nothing else may stand for them
AS_TEXT = {"datetime", "date", "time", "decimal", "enum", "uuid", "timedelta"}  # JSON has not
OUR_READERS = {schema._text, schema._number_or_text, schema._time_of_day}


def loose_fields(model: type[BaseModel]) -> list[str]:
    """Where a schema would take a value of another JSON type: a number, boolean or text field
    outside strict mode, a nested schema that is not Strict, or a date, time, decimal or choice
    without the reader that takes it as text (lib/schema.py: Moment, TimeOfDay, Amount, Choice)."""
    core = model.__pydantic_core_schema__
    definitions = {}

    def collect(node):
        if isinstance(node, dict):
            if "ref" in node and node.get("type") != "definition-ref":
                definitions[node["ref"]] = node
            for value in node.values():
                collect(value)
        elif isinstance(node, list | tuple):
            for value in node:
                collect(value)

    collect(core)
    loose, followed = [], set()

    def walk(node, where: str, strict: bool, read_as_text: bool = False):
        if isinstance(node, list | tuple):
            for item in node:
                walk(item, where, strict)
            return
        if not isinstance(node, dict):
            return
        kind = node.get("type")
        if kind == "definition-ref":
            if node["schema_ref"] not in followed:
                followed.add(node["schema_ref"])
                walk(definitions[node["schema_ref"]], where, strict)
            return
        if kind == "model":
            cls = node["cls"]
            if not issubclass(cls, Strict):
                loose.append(f"{where}: {cls.__name__} is not a lib.schema.Strict schema")
            strict = bool(node.get("config", {}).get("strict"))
            where = cls.__name__
        if kind == "model-fields":
            for name, field in node["fields"].items():
                walk(field, f"{where}.{name}", strict)
            return
        if kind in SCALARS and not node.get("strict", strict):
            loose.append(f"{where}: a {kind} that takes other JSON types")
        if kind in AS_TEXT and not read_as_text:
            loose.append(f"{where}: a {kind} without lib.schema's reader (Moment, TimeOfDay, Amount, Choice)")
        ours = kind == "function-before" and node["function"]["function"] in OUR_READERS
        for key, value in node.items():
            if key not in ("cls", "function", "config", "metadata", "serialization", "ref"):
                walk(value, where, strict, read_as_text=ours and key == "schema")

    walk(core, model.__name__, False)
    return loose


def test_every_input_schema_takes_only_the_json_types_it_documents():
    schemas = input_schemas()
    assert len(schemas) >= 45, schemas  # the walk found the API's bodies; it cannot pass on none
    assert "read by its handler: SyncIn" in schemas and "read by its handler: PunchIn" in schemas
    loose = {label: found for label, model in schemas.items() if (found := loose_fields(model))}
    assert not loose, "\n".join(f"{label}: {found}" for label, found in loose.items())


def test_the_walk_finds_a_loose_field():
    """The check above cannot pass by seeing nothing: a plain schema, a lax number and a bare
    datetime are each found."""
    from ninja import Schema
    from pydantic import ConfigDict

    class Plain(Schema):
        n: int

    class Lax(Strict):
        model_config = ConfigDict(strict=False)
        n: int

    class Bare(Strict):
        when: dt.datetime | None = None
        inner: Plain | None = None
        fine: schema.Moment | None = None

    plain = ["Plain: Plain is not a lib.schema.Strict schema", "Plain.n: a int that takes other JSON types"]
    assert loose_fields(Plain) == plain
    assert loose_fields(Lax) == ["Lax.n: a int that takes other JSON types"]
    assert loose_fields(Bare) == [
        "Bare.when: a datetime without lib.schema's reader (Moment, TimeOfDay, Amount, Choice)",
        "Bare.inner: Plain is not a lib.schema.Strict schema",
        "Plain.n: a int that takes other JSON types",
    ]


# -- what a client sees ---------------------------------------------------------------------


@pytest.mark.parametrize("value", [True, "3", 3.0])
def test_a_member_id_must_be_a_number(acme, api_as, value):
    """{"reports_to": true} made member 1 (the owner) the agent's manager."""
    alice = acme.alice
    response = api_as(acme.olga).patch(
        f"/api/v1/members/{alice.pk}", {"reports_to": value}, content_type="application/json"
    )
    assert response.status_code == 422, response.content
    assert response.json()["errors"] == [
        {"field": "reports_to", "message": "Input should be a valid integer"}
    ]
    alice.refresh_from_db()
    assert alice.reports_to_id == acme.maya.pk


def test_a_boolean_must_be_a_boolean_and_a_text_a_text(acme, api_as):
    client = api_as(acme.olga)
    response = client.patch("/api/v1/organisation", {"shift_location": 1}, content_type="application/json")
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "shift_location"
    response = client.post("/api/v1/tags", {"name": 5}, content_type="application/json")
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "name"


def test_day_end_is_a_local_time_without_an_offset(acme, api_as):
    """Was a 500: SQLite cannot store a time with an offset (PostgreSQL silently dropped it)."""
    client = api_as(acme.olga)
    for value in ("21:00:00+05:30", "21:00Z", "9pm", "24:00", 75600, True):
        response = client.patch("/api/v1/organisation", {"day_end": value}, content_type="application/json")
        assert response.status_code == 422, (value, response.content)
        assert response.json()["errors"][0]["field"] == "day_end", value
    response = client.patch("/api/v1/organisation", {"day_end": "21:30"}, content_type="application/json")
    assert response.status_code == 200, response.content
    assert response.json()["day_end"] == "21:30:00"
    acme.org.refresh_from_db()
    assert acme.org.day_end == dt.time(21, 30)


def test_dates_amounts_and_choices_come_as_text(acme, api_as):
    from leadtracker.accounts.audit import Actor
    from leadtracker.leads.actions.leads import LeadData, create_lead

    client = api_as(acme.olga)
    data = LeadData(name="Raj", phones=["9876543210"])
    lead, _ = create_lead(acme.org, data, actor=Actor.system(), by=acme.olga)
    url = f"/api/v1/leads/{lead.pk}/follow-ups"
    due = (dt.datetime.now(dt.UTC) + dt.timedelta(days=1)).isoformat()
    refused = [
        ({"due_at": 1_900_000_000}, "due_at"),  # not read as a timestamp
        ({"due_at": due, "kind": 1}, "kind"),
        ({"due_at": due, "remind_minutes_before": "15"}, "remind_minutes_before"),
    ]
    for body, field in refused:
        response = client.post(url, body, content_type="application/json")
        assert response.status_code == 422, (body, response.content)
        assert response.json()["errors"][0]["field"] == field, body
    response = client.post(url, {"due_at": due, "kind": "meeting"}, content_type="application/json")
    assert response.status_code == 201, response.content
    for value, stored in (("150000.50", "150000.50"), (150000, "150000.00")):
        response = client.patch(f"/api/v1/leads/{lead.pk}", {"value": value}, content_type="application/json")
        assert response.status_code == 200, response.content
        lead.refresh_from_db()
        assert str(lead.value) == stored
    response = client.patch(f"/api/v1/leads/{lead.pk}", {"value": True}, content_type="application/json")
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "value"


def test_a_body_a_handler_reads_is_held_to_its_schema_too(acme, api_as):
    client = api_as(acme.alice)
    for body, field in (
        ({"at": 1_900_000_000}, "at"),
        ({"location": {"lat": "12.97", "lon": 77.59}}, "location.lat"),
        ({"location": {"lat": True, "lon": 77.59}}, "location.lat"),
    ):
        response = client.post("/api/v1/attendance/punch-in", body, content_type="application/json")
        assert response.status_code == 422, (body, response.content)
        assert response.json()["errors"][0]["field"] == field, body
    response = client.post(
        "/api/v1/attendance/punch-in",
        {"location": {"lat": 12, "lon": 77.59}},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content  # an integer is a number
