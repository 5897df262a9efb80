"""The exports page and the API's list read a fixed number of queries however many exports
they show (each names its person, who asked, and its request)."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from leadtracker.accounts.audit import Actor
from leadtracker.privacy.export.actions import request_export
from leadtracker.privacy.tests.requests_util import make_lead, make_request
from leadtracker.testing import login_client, token_client


def count(fn):
    with CaptureQueriesContext(connection) as ctx:
        response = fn()
    assert response.status_code == 200, response.status_code
    return len(ctx.captured_queries)


def add_exports(people, start, n):
    actor = Actor.for_user(people.adam.user)
    for i in range(start, start + n):
        if i % 2:
            request_export(people.org, actor=actor, member=people.alice)
            continue
        lead = make_lead(people, name=f"Lead {i}", phone=f"+9198765{i:05d}", email=f"lead{i}@example.in")
        request_export(people.org, actor=actor, data_request=make_request(people, lead=lead))


def test_exports_page_query_count_does_not_grow(acme):
    client = login_client(acme.adam)
    add_exports(acme, 0, 2)
    client.get("/settings/privacy/exports/")  # warm up: session, first-use writes
    small = count(lambda: client.get("/settings/privacy/exports/"))
    add_exports(acme, 2, 18)
    assert client.get("/settings/privacy/exports/").content.decode().count("Export #") == 20
    large = count(lambda: client.get("/settings/privacy/exports/"))
    assert small == large, (small, large)


def test_exports_api_query_count_does_not_grow(acme):
    api = token_client(acme.adam)
    add_exports(acme, 0, 2)
    api.get("/api/v1/privacy/exports")  # first use writes the token's last_used_at
    small = count(lambda: api.get("/api/v1/privacy/exports"))
    add_exports(acme, 2, 18)
    assert len(api.get("/api/v1/privacy/exports").json()) == 20
    large = count(lambda: api.get("/api/v1/privacy/exports"))
    assert small == large, (small, large)
