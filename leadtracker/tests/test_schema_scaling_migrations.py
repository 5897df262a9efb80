"""The migrations that closed the two placement gaps of docs/scaling.md carry a database that
already has rows: a rule's agents move to the table with the organisation, acceptances keep
their rows under the new unique key, and the acceptances stay append-only (on SQLite the
constraint change rebuilds the table, which drops its triggers unless the migration restores
them). Both directions, on SQLite and PostgreSQL.

The test migrates the real test database back and forth, so it runs outside a transaction and
always migrates forward again, even when it fails. Going back costs seconds (Django works out the
state before every migration of the plan), so one test goes back, forwards, back and forwards
again (two tests did it three times)."""

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from leadtracker.accounts.audit import Actor
from leadtracker.leads.actions.assignment import assign_by_rules
from leadtracker.leads.actions.leads import default_status
from leadtracker.leads.models import AssignmentRuleAgent, Lead
from leadtracker.privacy import selectors as privacy_selectors
from leadtracker.privacy.models import NoticeAcceptance
from leadtracker.privacy.notices import actions as privacy_actions

BEFORE = [("leads", "0007_consent_events"), ("privacy", "0005_access_export_erasure_ledger")]


def migrate(targets):
    """Migrate to ``targets`` (None: every app's latest) and return the models of that state."""
    executor = MigrationExecutor(connection)
    targets = targets or executor.loader.graph.leaf_nodes()
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state(targets).apps


@pytest.fixture
def before_the_gaps_closed(transactional_db):
    old = migrate(BEFORE)
    try:
        yield old
    finally:
        migrate(None)


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


@pytest.mark.slow(reason="migrates the real test database back and forth twice (4 s of CPU a way back)")
def test_rows_come_across_forwards_and_go_back_backwards(acme, globex, before_the_gaps_closed):
    ours, theirs, notice = old_rows(before_the_gaps_closed, acme, globex)

    migrate(None)
    rows_came_across(acme, globex, ours, theirs, notice)

    old = migrate(BEFORE)
    rows_went_back(old, acme, globex, ours, theirs, notice)


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
