"""What the enrolment gate costs a page: nothing unless the organisation requires MFA and the
member is an owner or admin; then one query (is the second factor set up?)."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from leadtracker.accounts.tests.mfa_helpers import enrol


def queries_for(client, path) -> int:
    client.get(path)  # warm: session and caches as on any later page
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(path).status_code == 200
    return len(ctx.captured_queries)


def test_the_gate_costs_no_query_unless_required_and_one_when_it_is(acme, as_member):
    enrol(acme.adam.user)
    admin, manager = as_member(acme.adam), as_member(acme.maya)
    admin_base, manager_base = queries_for(admin, "/members/"), queries_for(manager, "/members/")
    acme.org.require_mfa = True
    acme.org.save()
    assert queries_for(admin, "/members/") == admin_base + 1
    assert queries_for(manager, "/members/") == manager_base
    assert not any("totpdevice" in q["sql"] for q in _captured(manager, "/members/"))


def _captured(client, path):
    with CaptureQueriesContext(connection) as ctx:
        client.get(path)
    return ctx.captured_queries
