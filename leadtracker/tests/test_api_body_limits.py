"""A JSON body past the size limit answers 413 naming the limit, and JSON nested deeper than any
of our schemas answers 422, on every operation that takes JSON — never a 500 (issue 15 item 6:
a 10 MB body was a 500 on 8 operations, and deeply nested JSON sent to the sync a RecursionError).
"""

import json

import pytest
from django.test import Client

from leadtracker.accounts.audit import Actor
from leadtracker.calls.actions import create_pairing_code, pair_device
from leadtracker.leads.models import Lead
from leadtracker.lib.json_body import MAX_DEPTH
from leadtracker.tests.test_api_body_media_type import DEVICE_OPERATIONS, operations

# The PostgreSQL pass of make test leaves this walk to the SQLite pass (conftest.py).
pytestmark = pytest.mark.same_on_every_database(
    reason="a body is refused by its size or depth before any query runs"
)

TEN_MB = 10 * 1024 * 1024


@pytest.fixture
def clients(acme, api_as, settings):
    settings.API_RATE_AUTHENTICATED = "1000000/m"
    settings.SYNC_RATE_PER_DEVICE = "1000000/m"
    _code, raw = create_pairing_code(acme.alice, actor=Actor.system(), by=None)
    _device, device_token = pair_device(raw, name="Phone", actor=Actor.system())
    return {"owner": api_as(acme.olga), "phone": Client(HTTP_AUTHORIZATION=f"Bearer {device_token}")}


def walk(clients, body: bytes):
    walked = operations(json_body=True)
    assert len(walked) >= 50, walked
    answers = {}
    for method, url, path in walked:
        if path == "/api/v1/tokens":
            continue  # made in the web app's session only (a token is refused first)
        client = clients["phone" if path in DEVICE_OPERATIONS else "owner"]
        response = client.generic(method.upper(), url, data=body, content_type="application/json")
        answers[f"{method.upper()} {path}"] = response
    assert "POST /api/v1/calls/sync" in answers and "POST /api/v1/attendance/punch-in" in answers
    return answers


def test_a_10_mb_body_is_413_naming_the_limit_on_every_json_operation(clients, settings):
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE == 5 * 1024 * 1024
    body = json.dumps({"name": "x" * TEN_MB, "calls": []}).encode()
    wrong = []
    for label, response in walk(clients, body).items():
        detail = response.json().get("detail", "") if response.status_code < 500 else ""
        if response.status_code != 413 or "at most 5 MB (5242880 bytes)" not in detail:
            wrong.append(f"{label}: {response.status_code} {response.content[:120]}")
    assert not wrong, "\n".join(wrong)
    assert not Lead.objects.exists()


def test_the_sync_says_how_many_calls_fit(clients):
    body = json.dumps({"calls": [{"number": "x" * 1000}] * 6000}).encode()
    response = clients["phone"].post("/api/v1/calls/sync", data=body, content_type="application/json")
    assert response.status_code == 413
    assert response.json()["detail"] == (
        "the request is too large: at most 5 MB (5242880 bytes) a request; send at most 500 calls a request"
    )


@pytest.mark.parametrize("depth", [MAX_DEPTH + 1, 100_000])
def test_json_nested_too_deeply_is_422_on_every_json_operation(clients, depth):
    """100,000 levels: the JSON decoder itself runs out of stack (was a 500 on the sync). One
    level past the limit: decoded, but refused before anything walks it."""
    body = ('{"calls": ' + "[" * (depth - 1) + "]" * (depth - 1) + "}").encode()
    wrong = []
    for label, response in walk(clients, body).items():
        detail = response.json().get("detail", "") if response.status_code < 500 else ""
        if response.status_code != 422 or f"nested too deeply: at most {MAX_DEPTH} levels" not in detail:
            wrong.append(f"{label}: {response.status_code} {response.content[:120]}")
    assert not wrong, "\n".join(wrong)


def test_json_nested_to_the_limit_is_read(clients):
    """A body MAX_DEPTH levels deep is read: the sync reports its one row for what it is."""
    body = ('{"calls": ' + "[" * (MAX_DEPTH - 1) + "]" * (MAX_DEPTH - 1) + "}").encode()
    response = clients["phone"].post("/api/v1/calls/sync", data=body, content_type="application/json")
    assert response.status_code == 200, response.content
    [rejected] = response.json()["rejected"]
    assert rejected == {
        "index": 0,
        "error": "not an object",
        "message": "not an object",
        "code": "not_an_object",
        "field": "",
    }


def test_a_website_form_posting_deep_json_is_refused_too(acme, settings):
    """The web capture reads its JSON itself; it was a 500 there as well."""
    from leadtracker.leads.models import LeadSource

    settings.CAPTURE_RATE_PER_KEY = "1000000/m"
    source = LeadSource.objects.create(organisation=acme.org, name="Website", capture_key="k" * 32)
    body = '{"name": ' + "[" * 100_000 + "]" * 100_000 + "}"
    response = Client().post(
        f"/api/v1/capture/{source.capture_key}", data=body, content_type="application/json"
    )
    assert response.status_code == 422, response.content
    assert "nested too deeply" in response.json()["detail"]
    response = Client().post(
        f"/api/v1/capture/{source.capture_key}", data=b"x" * TEN_MB, content_type="application/json"
    )
    assert response.status_code == 413, response.content
    assert not Lead.objects.exists()
