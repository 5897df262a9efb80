"""An access event of a served request is sent before the answer is built and awaited before it
is given (accounts/audit.access_sent; on PostgreSQL lib/postgresql's send_unawaited): the row is
committed, in a transaction of its own, before the reader has the data; a statement sent after it
waits for it; a failed write still fails the request. Inside a transaction (and on SQLite) it is
written at once, as record_access writes it."""

import json

import pytest
from django.db import IntegrityError, connection, transaction
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from ninja.responses import NinjaJSONEncoder

from leadtracker.accounts.audit import access_sent
from leadtracker.accounts.models import AuditEvent, Organisation
from leadtracker.leads.api.schemas import LeadOut, with_related
from leadtracker.leads.models import Lead


def in_flight() -> bool:
    return getattr(connection, "_unawaited", None) is not None


def views_of(lead) -> list[dict]:
    events = AuditEvent.objects.filter(action="lead.view", object_id=str(lead.pk)).order_by("pk")
    return list(events.values("changes", "actor_user_id"))


def a_request(member):
    request = RequestFactory().get("/", HTTP_USER_AGENT="test")
    request.org, request.user = member.organisation, member.user
    return request


# One test, as a served request runs: outside any transaction (a transactional test empties
# every table after it, which costs seconds, so the cases share it).
@pytest.mark.django_db(transaction=True)
def test_served_outside_a_transaction(acme, new_lead, api_as, as_member):
    # One lead and its page: recorded before the answer, nothing left in flight after it.
    lead = new_lead(acme, name="Raj", phones=["98765 43210"], by=acme.olga, tags=["hot"])
    response = api_as(acme.olga).get(f"/api/v1/leads/{lead.pk}")
    assert response.status_code == 200
    assert not in_flight()
    assert views_of(lead) == [{"changes": {"via": "api"}, "actor_user_id": acme.olga.user_id}]
    expected = LeadOut.of(with_related(Lead.objects.filter(pk=lead.pk)).get()).model_dump()
    assert response.json() == json.loads(json.dumps(expected, cls=NinjaJSONEncoder))
    assert as_member(acme.olga).get(f"/leads/{lead.pk}/").status_code == 200
    assert not in_flight()
    assert [v["changes"] for v in views_of(lead)] == [{"via": "api"}, {"via": "web"}]

    # A statement sent after it reads what it wrote.
    settled = access_sent(a_request(acme.olga), "lead.view", object_type="lead", object_id=7)
    if connection.vendor == "postgresql":
        assert in_flight()  # sent, its answer not read yet
    assert AuditEvent.objects.filter(action="lead.view", object_id="7").count() == 1
    assert not in_flight()
    settled()  # nothing left to wait for

    # A write that fails fails before the answer, and the connection goes on.
    request = a_request(acme.olga)
    request.org = Organisation(pk=10**9)  # no such organisation: its foreign key refuses the row
    with pytest.raises(IntegrityError):
        access_sent(request, "lead.view", object_type="lead", object_id=9)()
    assert not in_flight()
    assert not AuditEvent.objects.filter(action="lead.view", object_id="9").exists()
    assert Organisation.objects.filter(pk=acme.org.pk).exists()


def test_inside_a_transaction_it_is_written_at_once(acme):
    with transaction.atomic():
        settled = access_sent(a_request(acme.olga), "lead.view", object_type="lead", object_id=8)
        assert not in_flight()
        settled()
    assert AuditEvent.objects.filter(action="lead.view", object_id="8").count() == 1


def test_the_lead_page_reads_nothing_after_the_event_is_sent(acme, new_lead, as_member):
    """So that the page renders while the event's commit is flushed, waiting for nothing: its
    reads, the click-to-call line its template draws among them, come first."""
    lead = new_lead(acme, name="Raj", phones=["98765 43210"], by=acme.olga)
    client = as_member(acme.olga)
    client.get(f"/leads/{lead.pk}/")
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(f"/leads/{lead.pk}/").status_code == 200
    statements = [q["sql"] for q in ctx.captured_queries]
    assert any("integrations_connector" in s for s in statements)
    assert statements[-1].startswith(f'INSERT INTO "{AuditEvent._meta.db_table}"'), statements[-1]
