"""Migrations that change tables already holding rows carry the rows both ways, on SQLite and
PostgreSQL:

- the two that closed the placement gaps of docs/scaling.md (leads 0008, privacy 0006): a rule's
  agents move to the table with the organisation, acceptances keep their rows under the new
  unique key, and the acceptances stay append-only (on SQLite the constraint change rebuilds the
  table, which drops its triggers unless the migration restores them);
- calls 0006, which renames Disposition to Outcome (the table calls_disposition to calls_outcome)
  and Call.disposition to Call.outcome: every outcome and every call's choice comes across, and
  goes back when the migration is reversed.

The test migrates the real test database back and forth, so it runs outside a transaction, and
leaves the database as every test finds it, a copy of the migrated template, even when it
fails. A way there or back costs seconds of CPU (Django renders the models' state around every
operation), so one test goes back, forwards and back for both: going back to before leads 0008
also takes calls back to before 0005 (calls 0005 depends on leads 0009), so the old rows of both
are written at one point, and checked after the way forwards and after the way back (the two
files made two round trips each)."""

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from leadtracker import test_database
from leadtracker.accounts.audit import Actor
from leadtracker.calls.models import Call, Outcome
from leadtracker.leads.actions.assignment import assign_by_rules
from leadtracker.leads.actions.leads import default_status
from leadtracker.leads.models import AssignmentRuleAgent, Lead
from leadtracker.privacy import selectors as privacy_selectors
from leadtracker.privacy.models import NoticeAcceptance
from leadtracker.privacy.notices import actions as privacy_actions

BEFORE = [("leads", "0007_consent_events"), ("privacy", "0005_access_export_erasure_ledger")]
RENAME = ("calls", "0006_outcome")


def migrate(targets=None):
    """Migrate the test database to ``targets`` (None: every app's latest) and return the models
    of the database then (every app's, at the migrations applied).

    Forwards is Django's executor as it is. Backwards unapplies Django's own plan, each migration
    through the executor with the state before it, but works out those states as the models'
    descriptions only: Django's executor renders the models at the first migration of the plan
    and re-renders them through every later migration of the project (applied or not), which
    was half of a way back's CPU (4.3 s of 8.9 on SQLite)."""
    executor = MigrationExecutor(connection)
    targets = targets or executor.loader.graph.leaf_nodes()
    plan = executor.migration_plan(targets)
    if plan and all(backwards for _, backwards in plan):
        unapply(executor, plan)
    elif plan:
        executor.migrate(targets, plan=plan)
    executor.loader.build_graph()
    return executor.loader.project_state(tuple(executor.loader.applied_migrations)).apps


def unapply(executor, plan):
    """Unapply ``plan`` (backwards, in its order) as MigrationExecutor._migrate_all_backwards
    does, with unrendered states before each migration."""
    graph = executor.loader.graph
    full_plan = executor.migration_plan(graph.leaf_nodes(), clean_start=True)
    applied = {graph.nodes[key] for key in executor.loader.applied_migrations if key in graph.nodes}
    to_run = {migration for migration, _ in plan}
    states = {}
    state = executor._create_project_state()
    for migration, _ in full_plan:
        if not to_run:
            break
        if migration in to_run:
            states[migration] = state
            state = migration.mutate_state(state, preserve=True)
            to_run.remove(migration)
        elif migration in applied:
            migration.mutate_state(state, preserve=False)
    for migration, _ in plan:
        executor.unapply_migration(states[migration], migration)


def applied(key):
    return key in MigrationExecutor(connection).loader.applied_migrations


@pytest.fixture
def before(transactional_db):
    old = migrate(BEFORE)
    try:
        yield old
    finally:
        # Whatever happened, the next test finds the database every test starts from: a copy of
        # the migrated template (the test's own way forwards has been made by then).
        test_database.copy_into(connection, connection.settings_dict["NAME"])


def old_rows(old, acme, globex):
    """A rule of each organisation with agents added out of id order, and an acceptance."""
    Rule = old.get_model("leads", "AssignmentRule")
    ours = Rule.objects.create(organisation_id=acme.org.pk, name="RR")
    ours.agents.add(acme.carl.user_id)
    ours.agents.add(acme.alice.user_id)
    theirs = Rule.objects.create(organisation_id=globex.org.pk, name="Theirs")
    theirs.agents.add(globex.bob.user_id)
    now = timezone.now()
    notice = old.get_model("privacy", "PrivacyNotice").objects.create(
        organisation_id=acme.org.pk, version=1, title="Notice", items=[], effective_at=now, published_at=now
    )
    old.get_model("privacy", "NoticeAcceptance").objects.create(
        organisation_id=acme.org.pk, notice=notice, user_id=acme.alice.user_id, version=1, accepted_at=now
    )
    return ours, theirs, notice


def old_outcome_rows(old, acme):
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


@pytest.mark.slow(reason="migrates the real test database back, forwards and back (seconds of CPU each way)")
def test_rows_come_across_forwards_and_go_back_backwards(acme, globex, before):
    assert not applied(RENAME), "going back before leads 0008 no longer takes calls back before 0006"
    ours, theirs, notice = old_rows(before, acme, globex)
    mine, made = old_outcome_rows(before, acme)
    outcomes = before.get_model("calls", "Disposition").objects.count()

    migrate(None)
    rows_came_across(acme, globex, ours, theirs, notice)
    outcomes_came_across(acme, mine, made, outcomes)

    old = migrate(BEFORE)
    rows_went_back(old, acme, globex, ours, theirs, notice)
    assert old.get_model("calls", "Disposition").objects.get(pk=mine.pk).name == "Site visit"
    assert old.get_model("calls", "Call").objects.get(pk=made.pk).disposition_id == mine.pk


def rows_came_across(acme, globex, ours, theirs, notice):
    agents = AssignmentRuleAgent.objects.order_by("pk").values_list("organisation_id", "rule_id", "user_id")
    assert list(agents) == [
        (acme.org.pk, ours.pk, acme.carl.user_id),
        (acme.org.pk, ours.pk, acme.alice.user_id),
        (globex.org.pk, theirs.pk, globex.bob.user_id),
    ]
    # The rotation is what it was: by user id, whatever order the rows came in.
    first, second = sorted([acme.alice.user_id, acme.carl.user_id])
    owners = []
    for i in range(3):
        lead = Lead.objects.create(
            organisation=acme.org,
            name=f"M{i}",
            phone=f"+91987654321{i}",
            status=default_status(acme.org.pk),
        )
        owners.append(assign_by_rules([lead], actor=Actor.system())[0])
    assert owners == [first, second, first]

    acceptance = NoticeAcceptance.objects.get()
    assert (acceptance.organisation_id, acceptance.notice_id, acceptance.user_id) == (
        acme.org.pk,
        notice.pk,
        acme.alice.user_id,
    )
    assert privacy_selectors.has_accepted(acme.alice.user_id, acceptance.notice)
    # Accepting again meets the new unique key and returns the first record.
    assert privacy_actions.accept_notice(acme.alice, acceptance.notice).pk == acceptance.pk
    with pytest.raises(IntegrityError), transaction.atomic():
        NoticeAcceptance.objects.filter(pk=acceptance.pk).update(accepted_at=timezone.now())
    assert NoticeAcceptance.objects.count() == 1


def outcomes_came_across(acme, mine, made, count):
    assert "calls_outcome" in connection.introspection.table_names()
    assert "calls_disposition" not in connection.introspection.table_names()
    assert Outcome.objects.count() == count
    outcome = Outcome.objects.get(pk=mine.pk)
    assert (outcome.name, outcome.asks_follow_up, outcome.position) == ("Site visit", True, 9)
    assert Call.objects.get(pk=made.pk).outcome == outcome
    assert list(acme.org.outcomes.filter(name="Site visit")) == [outcome]


def rows_went_back(old, acme, globex, ours, theirs, notice):
    through = old.get_model("leads", "AssignmentRule").agents.through
    assert sorted(through.objects.values_list("assignmentrule_id", "user_id")) == sorted(
        [(ours.pk, acme.carl.user_id), (ours.pk, acme.alice.user_id), (theirs.pk, globex.bob.user_id)]
    )
    OldAcceptance = old.get_model("privacy", "NoticeAcceptance")
    assert list(OldAcceptance.objects.values_list("notice_id", "user_id")) == [
        (notice.pk, acme.alice.user_id)
    ]
    with pytest.raises(IntegrityError), transaction.atomic():
        OldAcceptance.objects.update(accepted_at=timezone.now())
