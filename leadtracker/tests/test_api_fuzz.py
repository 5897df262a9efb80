"""Fuzzing the API from its own OpenAPI schema (schemathesis): no 5xx, every documented answer
matches its schema, and every error has our one error shape.

Requests go through the whole Django stack (WSGI handler, middleware, ninja) in-process, on the
test database of the run, so this runs on SQLite and on PostgreSQL — on purpose, unlike the
walks marked same_on_every_database: what it finds can be the database's own refusal. On
PostgreSQL it found a NUL character in text, an integer beyond 64 bits and a UTC offset past
±15:59 answering 500 where SQLite stored them (b6ef0f6, b067094); the checks added since refuse
those before the handler, and this run on PostgreSQL is what would find the next such value.
Where its CPU went (SQLite, 1,318 requests): about 57 % generating the cases (schemathesis and
Hypothesis building strategies as they draw), 40 % our stack answering them, 2.5 % checking
the answers against the document. So the cases are drawn once and kept (fuzz_cases.py): the
other pass of make test and later runs send the same cases again, in the same order, without
drawing them (733 requests: 24.1 -> 12.9 CPU-s on SQLite, 24.6 -> 15.0 on PostgreSQL; the same
requests, byte for byte, drawn or sent again, on both databases). Authenticated as an
organisation's owner (personal token) and, for the phone's operations, as a paired phone
(device token). Ids in paths are swapped for ids of real objects of that organisation, so the
fuzzed bodies reach the code behind the 404. Each operation gets valid (positive) and invalid
(negative) cases, bounded by FUZZ_EXAMPLES (default 4 and half as many invalid) to keep CI
time small, and derandomised so that CI failures reproduce; raise it locally for a longer hunt.
At 4 it still re-finds both bugs it was kept for (tried with b6ef0f6's checks and the DataError
and OverflowError answers taken out): PostgreSQL answered 500 to a NUL in text on 5 operations
(9 at 6), SQLite to an integer beyond 64 bits on 1 (2 at 6) — the same 5 and 1, drawn or sent
again from kept cases (fuzz_cases.py), as before the cases were kept.
An operation whose only input is the ids in its path is sent two valid cases (the others were
the same request again), and one with no input a schema can refuse is sent no invalid ones
(modes_of). The function Hypothesis runs is left as it is: derandomize seeds it from a digest
of its source, so an edit to it changes every case drawn (tried: with the NUL check taken out,
PostgreSQL answered 500 to 9 operations with this seed, to 1 with the seed of a shorter function,
and to none with a seed per operation).

The schema is the one served, unchanged: it must be valid and complete for the fuzzer to reach
every operation (test_openapi_document.py). The run counts what each operation was sent, so an
operation the fuzzer could not generate a request for — the sync and punch bodies, whose
references once pointed nowhere — fails the test instead of passing unseen.
"""

import json
import os
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections, transaction

from leadtracker.accounts.audit import Actor
from leadtracker.api import api
from leadtracker.calls.actions import create_pairing_code, pair_device
from leadtracker.calls.models import Device, Permission
from leadtracker.testing import make_org, token_client
from leadtracker.tests.fuzz_cases import UNSATISFIABLE, Store, draw, send_again, store_key
from leadtracker.tests.tenancy import FACTORIES

# schemathesis and Hypothesis are imported by the functions that use them, not here: they take
# half a second of CPU to import, and every pytest-xdist worker of a pass imports every test
# module to collect it, while one worker runs this test (pyproject.toml's -p no:schemathesis
# keeps schemathesis's own pytest plugin, which this file does not use, from loading it too).
if TYPE_CHECKING:
    from schemathesis import GenerationMode

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "4"))
DEVICE_OPERATIONS = {"/api/v1/calls/sync", "/api/v1/devices/state"}


def served_schema() -> dict:
    """The schema /api/v1/openapi.json serves, as JSON (status codes become text)."""
    return json.loads(json.dumps(api.get_openapi_schema(), default=str))


@pytest.fixture
def requests_keep_the_connection(db):
    """Django's own test client does this too: a request must not close the test's connection
    (it lives inside the test's transaction, which is rolled back at the end)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def organisation(db, settings):
    # The fuzzer sends hundreds of requests a minute with one token: throttling would answer
    # 429 (correctly) and hide the code behind it. Throttling has its own tests.
    settings.API_RATE_AUTHENTICATED = "1000000/m"
    settings.API_RATE_ANONYMOUS = "1000000/m"
    settings.SYNC_RATE_PER_DEVICE = "1000000/m"
    settings.CAPTURE_RATE_PER_KEY = "1000000/m"
    settings.PAIRING_FAILURES_PER_ADDRESS = 1000000
    settings.API_AUTH_FAILURES_PER_ADDRESS = 1000000
    people = make_org("fuzz")
    owner = token_client(people.olga).raw_token
    # The phone belongs to an agent the fuzzer cannot reach through member_id (alice), so a
    # fuzzed deactivation does not switch the phone off for the rest of the run.
    _code, raw = create_pairing_code(people.bob, actor=Actor.system(), by=None)
    device, device_token = pair_device(raw, name="Fuzz phone", actor=Actor.system())
    ids = {}
    for name, make in FACTORIES.items():
        value = make(people)
        ids[name] = value.pk if hasattr(value, "pk") else value
    return {"owner": owner, "device": device_token, "device_id": device.pk, "ids": ids}


def error_shape(ctx, response, case):
    """Every 4xx is {"detail": str, "errors": [{"field", "message"}]} (README, API section)."""
    if 400 <= response.status_code < 500 and "json" in (response.headers.get("content-type") or [""])[0]:
        body = response.json()
        assert isinstance(body.get("detail"), str) and body["detail"], body
        assert isinstance(body.get("errors"), list), body
        for error in body["errors"]:
            assert set(error) >= {"field", "message"}, body


def fuzz(operation, mode, examples, organisation, counter, sent, store):
    # Costly to import (above); run's source below is left as it is: derandomize seeds from it.
    from hypothesis import HealthCheck, Phase, given, settings
    from hypothesis.errors import Unsatisfiable
    from schemathesis.checks import content_type_conformance, not_a_server_error, response_schema_conformance
    from schemathesis.core import NotSet

    CHECKS = [not_a_server_error, response_schema_conformance, content_type_conformance, error_shape]

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=examples,
        deadline=None,
        derandomize=True,
        database=None,
        # No shrinking: the first failing case is reported as is, and the time stays bounded.
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    def run(case):
        for name, value in list((case.path_parameters or {}).items()):
            if name in organisation["ids"] and isinstance(value, int):
                case.path_parameters[name] = organisation["ids"][name]
        token = organisation["device"] if operation.path in DEVICE_OPERATIONS else organisation["owner"]
        if operation.path == "/api/v1/calls/sync":
            # A fuzzed POST /devices/state may have reported the call-log permission revoked, and
            # the sync then refuses every batch (409, rightly): that refusal has its own test, and
            # here the batches must reach the sync itself. Which operation the fuzzer visits first
            # follows the document's order, so without this the check passed or failed by order.
            Device.objects.filter(pk=organisation["device_id"]).update(call_log_permission=Permission.GRANTED)
        headers = {"Authorization": f"Bearer {token}"}
        # A savepoint per request: a server error that broke the transaction (PostgreSQL) is
        # rolled back, so the operations after it still run and report their own findings.
        savepoint = transaction.savepoint()
        response = case.call(headers=headers)
        counter[response.status_code // 100] = counter.get(response.status_code // 100, 0) + 1
        seen = sent.setdefault(operation.label, {"requests": 0, "bodies": 0, "2xx": 0})
        seen["requests"] += 1
        seen["bodies"] += case.body is not None and not isinstance(case.body, NotSet)
        seen["2xx"] += 200 <= response.status_code < 300
        if operation.path == "/api/v1/calls/sync" and response.status_code == 200:
            seen.setdefault("calls", 0)
            seen["calls"] += response.json()["received"]
        if response.status_code >= 400:
            # A refused request writes nothing; and on PostgreSQL one that caught a database
            # error itself would otherwise leave the test's transaction unusable.
            # An inner atomic block that failed marks the whole test transaction for rollback
            # (Django then refuses every query, even this rollback); back at our savepoint the
            # transaction is sound again.
            transaction.set_rollback(False)
            transaction.savepoint_rollback(savepoint)
        else:
            transaction.savepoint_commit(savepoint)
        case.validate_response(response, checks=CHECKS, headers=headers)

    with store.entry(operation.label, mode.value) as (kept, keep):
        if kept == UNSATISFIABLE:
            raise Unsatisfiable(f"{operation.label} ({mode.value}): none drawn when the cases were kept")
        if kept is not None:
            send_again(run, operation, kept)
            return
        drawn = []
        try:
            draw(run, operation, drawn)
        except Unsatisfiable:
            keep(UNSATISFIABLE)
            raise
        keep(drawn)


def modes_of(described: dict, ids: dict) -> "list[tuple[GenerationMode, int]]":
    """How many valid and invalid cases an operation is sent, read from its document.

    An operation whose only input is the ids in its path (GET, DELETE or POST /things/{id}/…)
    has one valid request: the fuzzer draws an integer, and the run swaps it for the real
    object's id. Its second request sees what the first left (deleted, closed, archived); a
    third to sixth were the second again, so it is sent two. Invalid input is something a
    schema refuses: a body, a query, or a path parameter that is more than any text (an id);
    a path of free text alone (the capture key) has none, and asking for it cost 459 draws of
    Hypothesis finding nothing (Unsatisfiable)."""
    from schemathesis import GenerationMode  # costly to import (above)

    parameters = described.get("parameters", [])
    in_path = [p for p in parameters if p["in"] == "path"]
    only_ids = "requestBody" not in described and len(in_path) == len(parameters)
    valid = min(EXAMPLES, 2) if only_ids and all(p["name"] in ids for p in in_path) else EXAMPLES
    modes = [(GenerationMode.POSITIVE, valid)]
    free_text = {"type": "string"}
    constrained = [p for p in in_path if {k: v for k, v in p["schema"].items() if k != "title"} != free_text]
    if not only_ids or constrained:
        modes.append((GenerationMode.NEGATIVE, max(1, EXAMPLES // 2)))
    return modes


@pytest.mark.slow(reason="some 1,000 fuzzed requests, to every operation of the API (FUZZ_EXAMPLES)")
def test_api_answers_every_fuzzed_request_without_a_server_error(organisation, requests_keep_the_connection):
    # Costly to import (above).
    import schemathesis
    from hypothesis.errors import Unsatisfiable

    document = served_schema()
    store = Store(store_key(document, EXAMPLES, Path(__file__)))
    schema = schemathesis.openapi.from_dict(document)
    schema.app = get_wsgi_application()
    failures, operations, counter, unsatisfiable, sent = {}, 0, {}, [], {}
    # From the document, not from what the fuzzer made of it: a body it could not read is the
    # finding (the sync's was, and it was sent no body at all).
    with_body = [
        f"{method.upper()} {path}"
        for path, item in document["paths"].items()
        for method, operation in item.items()
        if "requestBody" in operation
    ]
    for result in schema.get_all_operations():
        operation = result.ok()  # an operation the loader cannot read raises here
        operations += 1
        described = document["paths"][operation.path][operation.method.lower()]
        for mode, examples in modes_of(described, organisation["ids"]):
            try:
                fuzz(operation, mode, examples, organisation, counter, sent, store)
            except Unsatisfiable:
                # No invalid input exists for this operation's schema (a body that accepts any
                # form fields, say): nothing was sent, so there is nothing to check.
                unsatisfiable.append(f"{operation.label} ({mode.value})")
            except (Exception, BaseExceptionGroup) as error:  # every operation's finding, not only the first
                failures[f"{operation.label} ({mode.value})"] = str(error)[:3000]
    assert operations >= 90, operations  # the schema was read; the loop cannot pass on nothing
    assert counter.get(2, 0) > operations, counter  # most operations were reached, not only refused
    assert len(unsatisfiable) <= 3, unsatisfiable  # the exception, not a way to skip operations
    assert not failures, "\n\n".join(f"== {label}\n{text}" for label, text in failures.items())
    # Every operation was sent requests, and every one that takes a body was sent bodies: an
    # operation the fuzzer cannot generate for is a finding, not a pass.
    assert len(with_body) >= 50, with_body
    assert not [label for label in with_body if not sent.get(label, {}).get("bodies")], sent
    assert sorted(sent) == sorted({r.ok().label for r in schema.get_all_operations()}), sent
    sync = sent["POST /api/v1/calls/sync"]
    assert sync["2xx"] and sync["calls"] > 0, sync  # batches of calls reached the sync itself
