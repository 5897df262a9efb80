"""The OpenAPI document at /api/v1/openapi.json is valid, every reference in it resolves, and
the server's own answers match it, formats included — so generated clients and the fuzzer
(test_api_fuzz.py) can use every operation (issue 15 item 6: the punch and sync bodies referred
to "#/$defs/…", which is nowhere in the document, and day_end broke its own "format: time")."""

import json

import jsonschema
import pytest

from leadtracker.api import api


@pytest.fixture(scope="module")
def document():
    # As served: through JSON, which makes the status codes text.
    return json.loads(json.dumps(api.get_openapi_schema(), default=str))


def resolve(document, node):
    """The node with every $ref replaced by what it points at (the document has no cycles)."""
    if isinstance(node, dict):
        if "$ref" in node:
            target = document
            for part in node["$ref"].removeprefix("#/").split("/"):
                target = target[part]
            return resolve(document, target)
        return {key: resolve(document, value) for key, value in node.items()}
    if isinstance(node, list):
        return [resolve(document, value) for value in node]
    return node


def references(node, where="#"):
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref":
                yield where, value
            else:
                yield from references(value, f"{where}/{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from references(value, f"{where}/{index}")


def test_the_document_is_valid_openapi(document):
    # costly (0.27 CPU-s), and only this test needs it: every pytest-xdist worker of make test
    # imports this module to collect it, and one of the three runs it
    from openapi_spec_validator import validate

    validate(document)  # raises, naming the fault


def test_every_reference_resolves_within_the_document(document):
    refs = list(references(document))
    assert len(refs) > 100, len(refs)
    broken = []
    for where, ref in refs:
        target = document
        try:
            assert ref.startswith("#/"), ref
            for part in ref.removeprefix("#/").split("/"):
                target = target[part]
        except (AssertionError, KeyError, TypeError):
            broken.append(f"{where}: {ref}")
    assert not broken, "\n".join(broken)


@pytest.mark.parametrize(
    "path", ["/api/v1/calls/sync", "/api/v1/attendance/punch-in", "/api/v1/attendance/punch-out"]
)
def test_the_bodies_handlers_read_are_described_in_full(document, path):
    body = document["paths"][path]["post"]["requestBody"]["content"]["application/json"]["schema"]
    body = resolve(document, body)
    assert body["additionalProperties"] is False
    if path.endswith("sync"):
        call = body["properties"]["calls"]["items"]
        assert call["additionalProperties"] is False
        assert set(call["required"]) == {"number", "type", "started_at", "duration_s"}
    else:
        location = next(s for s in body["properties"]["location"]["anyOf"] if s.get("type") == "object")
        assert set(location["required"]) == {"lat", "lon"}


def test_the_servers_own_answers_match_their_formats(acme, api_as, document):
    """day_end ("21:00:00") was documented as JSON Schema's "time", which demands a UTC offset."""
    client = api_as(acme.olga)
    answer = client.get("/api/v1/organisation")
    assert answer.status_code == 200
    documented = document["paths"]["/api/v1/organisation"]["get"]["responses"]["200"]
    schema = resolve(document, documented["content"]["application/json"]["schema"])
    checker = jsonschema.Draft202012Validator.FORMAT_CHECKER
    assert "time" in checker.checkers  # the check below cannot pass for want of a time checker
    jsonschema.validate(answer.json(), schema, format_checker=checker)
    time_fields = [
        f"{path} {name}"
        for path, item in document["paths"].items()
        for operation in item.values()
        for name, value in _properties(resolve(document, operation))
        if value.get("format") == "time"
    ]
    assert not time_fields, time_fields


def _properties(node):
    if isinstance(node, dict):
        for name, value in node.get("properties", {}).items():
            yield name, value
            for option in value.get("anyOf", []):
                yield name, option
        for value in node.values():
            yield from _properties(value)
    elif isinstance(node, list):
        for value in node:
            yield from _properties(value)
