"""calls 0006 renames Disposition to Outcome (the table calls_disposition to calls_outcome) and
Call.disposition to Call.outcome: every outcome and every call's choice comes across, and goes
back when the migration is reversed. On SQLite and PostgreSQL.

Each test migrates the real test database back and forth, so it runs outside a transaction and
always migrates forward again, even when it fails."""

import pytest
from django.db import connection
from django.utils import timezone

from leadtracker.calls.models import Call, Outcome
from leadtracker.tests.test_schema_scaling_migrations import migrate

BEFORE = [("calls", "0005_call_back_without_lead")]


@pytest.fixture
def before_the_rename(transactional_db):
    old = migrate(BEFORE)
    try:
        yield old
    finally:
        migrate(None)


def old_rows(old, acme):
    Disposition = old.get_model("calls", "Disposition")
    mine = Disposition.objects.create(
        organisation_id=acme.org.pk, name="Site visit", asks_follow_up=True, position=9
    )
    made = old.get_model("calls", "Call").objects.create(
        organisation_id=acme.org.pk,
        user_id=acme.alice.user_id,
        number="+919876543210",
        type="outgoing",
        status="answered",
        direction="out",
        started_at=timezone.now(),
        disposition_id=mine.pk,
        note="came to see the flat",
    )
    return mine, made


# One test goes back, forwards and back again (and forwards at the end): a way back costs
# seconds of CPU (Django works out the state before every migration of the plan), and two tests
# went back three times between them.
@pytest.mark.slow(reason="migrates the test database back, forwards and back")
def test_outcomes_come_across_and_go_back_when_the_migration_is_reversed(acme, before_the_rename):
    mine, made = old_rows(before_the_rename, acme)
    count = before_the_rename.get_model("calls", "Disposition").objects.count()

    migrate(None)
    assert "calls_outcome" in connection.introspection.table_names()
    assert "calls_disposition" not in connection.introspection.table_names()
    assert Outcome.objects.count() == count
    outcome = Outcome.objects.get(pk=mine.pk)
    assert (outcome.name, outcome.asks_follow_up, outcome.position) == ("Site visit", True, 9)
    assert Call.objects.get(pk=made.pk).outcome == outcome
    assert list(acme.org.outcomes.filter(name="Site visit")) == [outcome]

    old = migrate(BEFORE)
    assert old.get_model("calls", "Disposition").objects.get(pk=mine.pk).name == "Site visit"
    assert old.get_model("calls", "Call").objects.get(pk=made.pk).disposition_id == mine.pk
