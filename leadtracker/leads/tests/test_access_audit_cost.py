"""Auditing access costs a page one INSERT into the audit log and nothing else: no read of the
log, no second write, on the lead page, the searches and the API."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from leadtracker.accounts.models import AuditEvent

TABLE = AuditEvent._meta.db_table


def audit_statements(fn) -> list[str]:
    with CaptureQueriesContext(connection) as ctx:
        response = fn()
    assert response.status_code == 200, response.status_code
    return [q["sql"] for q in ctx.captured_queries if TABLE in q["sql"]]


@pytest.mark.parametrize(
    "url",
    [
        "/leads/{pk}/",
        "/leads/?q=98765+43210",
        "/api/v1/leads/{pk}",
        "/api/v1/leads/{pk}/timeline",
        "/api/v1/leads?q=%2B919876543210",
        "/api/v1/calls?lead={pk}",
    ],
)
def test_one_insert_and_no_read(acme, new_lead, as_member, url):
    lead = new_lead(acme, name="Raj", phones=["98765 43210"], by=acme.alice)
    client = as_member(acme.alice)
    client.get("/")  # the session's first-use reads are not the page's
    (statement,) = audit_statements(lambda: client.get(url.format(pk=lead.pk)))
    assert statement.lstrip().upper().startswith("INSERT"), statement


def test_a_name_search_writes_nothing(acme, new_lead, as_member):
    new_lead(acme, name="Raj", phones=["98765 43210"], by=acme.alice)
    client = as_member(acme.alice)
    client.get("/")
    assert audit_statements(lambda: client.get("/leads/?q=Raj")) == []
