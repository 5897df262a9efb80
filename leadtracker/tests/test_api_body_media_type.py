"""A body of another type than JSON sent to an operation that takes JSON answers 415 naming
application/json; an unreadable multipart body answers 400. Never a 500 (issue 15 item 6: a
multipart body was a 500 on 43 operations, whichever way it was signed in).

The walk takes its operations from the served OpenAPI document, so an operation added later
is covered without anyone remembering it.
"""

import re

import pytest
from django.test import Client
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart

from leadtracker.accounts.audit import Actor
from leadtracker.api import api
from leadtracker.calls.actions import create_pairing_code, pair_device
from leadtracker.testing import login_client

# The PostgreSQL pass of make test leaves this walk to the SQLite pass (conftest.py).
pytestmark = pytest.mark.same_on_every_database(
    reason="a body is refused by its media type before any query runs"
)

# Signed in with the phone's device token (the rest refuse it, and these refuse any other).
DEVICE_OPERATIONS = {"/api/v1/calls/sync", "/api/v1/devices/state"}
CSRF_SECRET = "a" * 32


def operations(*, json_body: bool | None = None):
    """(method, path) of every operation; json_body=True: those whose request body is JSON."""
    spec = api.get_openapi_schema()
    found = []
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            takes_json = "application/json" in operation.get("requestBody", {}).get("content", {})
            if json_body is None or takes_json == json_body:
                # An id of nothing: the body is read before the handler looks anything up, and
                # an operation that takes no body (DELETE /tokens/{id}) changes nothing.
                found.append((method, re.sub(r"\{\w+\}", "987654321", path), path))
    return found


@pytest.fixture
def clients(acme, api_as, settings):
    # A walk sends a request to every operation: the limits (which have their own tests) would
    # answer 429 before the body is read.
    settings.API_RATE_AUTHENTICATED = "1000000/m"
    settings.SYNC_RATE_PER_DEVICE = "1000000/m"
    owner = api_as(acme.olga)
    _code, raw = create_pairing_code(acme.alice, actor=Actor.system(), by=None)
    _device, device_token = pair_device(raw, name="Phone", actor=Actor.system())
    phone = Client(HTTP_AUTHORIZATION=f"Bearer {device_token}")
    # The web app's session with the CSRF check enforced, as in a browser: the check reads a
    # multipart body's form fields before the operation sees the body (that was the 500).
    session = login_client(acme.olga)
    session.handler.enforce_csrf_checks = True
    session.cookies["csrftoken"] = CSRF_SECRET
    return {"owner": owner, "phone": phone, "session": session}


def send(client, method, url, body: bytes, content_type: str):
    extra = {"HTTP_X_CSRFTOKEN": CSRF_SECRET}
    return client.generic(method.upper(), url, data=body, content_type=content_type, **extra)


def test_every_json_operation_answers_415_to_a_multipart_body(clients):
    walked = operations(json_body=True)
    assert len(walked) >= 50, walked  # the walk read the document; it cannot pass on nothing
    assert ("post", "/api/v1/calls/sync", "/api/v1/calls/sync") in walked  # read by its handler
    assert ("post", "/api/v1/attendance/punch-in", "/api/v1/attendance/punch-in") in walked  # so is this
    form = encode_multipart(BOUNDARY, {"name": "Raj", "phones": "9876543210", "given": "true"})
    wrong = []
    for method, url, path in walked:
        signed_in = ["phone"] if path in DEVICE_OPERATIONS else ["owner", "session"]
        answers = {who: send(clients[who], method, url, form, MULTIPART_CONTENT) for who in signed_in}
        if path == "/api/v1/tokens":
            # Tokens are made in the web app's session only; a token is refused (401) first.
            assert answers.pop("owner").status_code == 401
        for who, response in answers.items():
            body = response.json() if response["Content-Type"].startswith("application/json") else {}
            if response.status_code != 415 or "application/json" not in body.get("detail", ""):
                wrong.append(
                    f"{method.upper()} {path} as {who}: {response.status_code} {response.content[:200]}"
                )
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize(
    "content_type, body",
    [
        ("text/plain", b'{"name": "Raj", "phones": ["9876543210"]}'),  # JSON, but not said to be
        ("application/x-www-form-urlencoded", b"name=Raj&phones=9876543210"),
        ("application/xml", b"<lead><name>Raj</name></lead>"),
        ("", b'{"name": "Raj"}'),
    ],
)
def test_other_types_are_415_too_and_nothing_is_written(clients, content_type, body):
    from leadtracker.leads.models import Lead

    for who in ("owner", "session"):
        response = send(clients[who], "post", "/api/v1/leads", body, content_type)
        assert response.status_code == 415, (who, response.content)
        assert response.json()["errors"] == [{"field": "body", "message": response.json()["detail"]}]
    response = send(clients["phone"], "post", "/api/v1/calls/sync", body, content_type)
    assert response.status_code == 415, response.content
    assert not Lead.objects.exists()


def test_json_with_a_json_media_type_is_read(clients):
    response = send(
        clients["owner"],
        "post",
        "/api/v1/leads",
        b'{"name": "Raj", "phones": ["9876543210"]}',
        "application/json; charset=utf-8",
    )
    assert response.status_code == 201, response.content


def test_an_unreadable_multipart_body_is_400_on_every_operation(clients):
    """No boundary: Django cannot read the form at all. Was a 500 on the operations that take
    no body (POST /members/{id}/deactivate), whose form fields were searched for NUL characters."""
    walked = operations()
    assert len(walked) >= 90, walked
    wrong = []
    for method, url, path in walked:
        who = "phone" if path in DEVICE_OPERATIONS else "owner"
        response = send(clients[who], method, url, b"name=Raj", "multipart/form-data")
        if response.status_code >= 500:
            wrong.append(f"{method.upper()} {path}: {response.status_code} {response.content[:200]}")
    assert not wrong, "\n".join(wrong)
    response = send(
        clients["owner"], "post", "/api/v1/members/987654321/deactivate", b"name=Raj", "multipart/form-data"
    )
    assert response.status_code == 400, response.content
    assert "multipart/form-data" in response.json()["detail"]


def test_an_empty_punch_of_any_kind_still_punches_and_a_form_with_fields_is_415(clients):
    """Punching takes an optional body: an empty POST, form or not, punches now."""
    phone = clients["phone"]
    response = phone.post("/api/v1/attendance/punch-in")  # the test client's empty multipart form
    assert response.status_code == 201, response.content
    response = send(
        phone,
        "post",
        "/api/v1/attendance/punch-out",
        encode_multipart(BOUNDARY, {"at": "2026-12-06T10:00:00+05:30"}),
        MULTIPART_CONTENT,
    )
    assert response.status_code == 415, response.content
    response = send(phone, "post", "/api/v1/attendance/punch-out", b"", "text/plain")
    assert response.status_code == 200, response.content
