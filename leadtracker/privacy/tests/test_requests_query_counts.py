"""The data requests register, page and API, reads a fixed number of queries however many
requests it lists."""

from leadtracker.accounts.audit import Actor
from leadtracker.privacy.requests import actions
from leadtracker.privacy.tests.requests_util import make_lead, make_request
from leadtracker.testing import login_client, token_client


def count(fn):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        response = fn()
    assert response.status_code == 200, response.status_code
    return len(ctx.captured_queries)


def add_requests(people, start, n):
    """n requests about a lead, a member, or a lead and closed, so every related row the
    register shows (lead, member and user, closer) is there to be read."""
    admin = Actor.for_user(people.adam.user)
    for i in range(start, start + n):
        if i % 3 == 1:
            actions.create_request(
                people.org,
                actor=admin,
                kind="access",
                requested_by="Alice",
                channel="email",
                member=people.alice,
            )
            continue
        lead = make_lead(people, name=f"Lead {i}", phone=f"+9198765{i:05d}", email=f"lead{i}@example.in")
        req = make_request(people, lead=lead, kind="erasure" if i % 3 else "access")
        if i % 3 == 2:
            actions.update_request(req, actor=admin, status="done", outcome="Erased")


def test_requests_page_query_count_does_not_grow(acme):
    client = login_client(acme.adam)
    add_requests(acme, 0, 2)
    client.get("/settings/privacy/requests/")  # warm up: session, first-use writes
    small = count(lambda: client.get("/settings/privacy/requests/"))
    add_requests(acme, 2, 28)
    page = client.get("/settings/privacy/requests/").content.decode()
    assert page.count('class="card row-card') == 30
    large = count(lambda: client.get("/settings/privacy/requests/"))
    assert small == large, (small, large)


def test_requests_api_query_count_does_not_grow(acme):
    api = token_client(acme.adam)
    add_requests(acme, 0, 2)
    api.get("/api/v1/privacy/requests")  # first use writes the token's last_used_at
    small = count(lambda: api.get("/api/v1/privacy/requests"))
    add_requests(acme, 2, 28)
    assert len(api.get("/api/v1/privacy/requests").json()) == 30
    large = count(lambda: api.get("/api/v1/privacy/requests"))
    assert small == large, (small, large)
