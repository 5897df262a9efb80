"""Recording an outcome over the API costs a pinned number of statements: the call read through
visibility, the outcome checked, the call's UPDATE and the audit event — the organisation of the
event is the recorder's, read with their token, not read again through the call."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from leadtracker.accounts.models import AuditEvent
from leadtracker.calls.models import Call, Outcome
from leadtracker.testing import call, make_lead, send

# In a test, inside its transaction: the token with its membership, the throttle's upsert (a served
# request counts in memory), the call, the savepoint and its release (a served request's BEGIN and
# COMMIT), the outcome, the call's UPDATE, the audit event. 8 here is 5 for `leadtracker serve`
# (6 before: the event's organisation was read through the call).
STATEMENTS = 8


def test_an_outcome_runs_a_fixed_number_of_statements(acme, phone, api_as):
    make_lead(acme, owner=acme.alice)
    send(phone, [call(1), call(2)])
    client = api_as(acme.alice)
    client.get("/api/v1/me")  # the token's last use is written once; measure the steady state
    interested = Outcome.objects.get(organisation=acme.org, name="Interested")
    for c in Call.objects.order_by("pk"):
        with CaptureQueriesContext(connection) as ctx:
            response = client.post(
                f"/api/v1/calls/{c.pk}/outcome",
                {"outcome_id": interested.pk, "note": "Wants a visit"},
                content_type="application/json",
            )
        assert response.status_code == 200, response.content
        statements = [q["sql"] for q in ctx.captured_queries]
        assert len(statements) == STATEMENTS, "\n".join(s[:160] for s in statements)
        assert not any('FROM "accounts_organisation"' in s for s in statements)
        event = AuditEvent.objects.get(action="call.outcome", object_id=str(c.pk))
        assert event.organisation_id == acme.org.pk and event.actor_user_id == acme.alice.user_id
        assert event.changes == {"outcome": interested.pk, "note": True}
