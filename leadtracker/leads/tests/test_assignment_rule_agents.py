"""A rule's agents are rows of AssignmentRuleAgent that carry the rule's organisation, written
by save_assignment_rule; whose turn it is depends on user ids only, never on the order the
agents were given or the rows were written (as before the rows carried the organisation)."""

import pytest
from django.db import IntegrityError, transaction

from leadtracker.accounts.audit import Actor
from leadtracker.leads.actions.assignment import save_assignment_rule
from leadtracker.leads.imports.importer import import_file
from leadtracker.leads.models import AssignmentRuleAgent, Lead


def save(people, agents, rule=None):
    return save_assignment_rule(
        people.org, name="RR", agent_ids=[a.user_id for a in agents], rule=rule, actor=Actor.system()
    )


def rows(rule):
    return list(
        AssignmentRuleAgent.objects.filter(rule=rule).order_by("pk").values_list("organisation_id", "user_id")
    )


def test_each_agent_row_carries_the_rules_organisation(acme, globex):
    ours = save(acme, [acme.alice, acme.bob])
    theirs = save(globex, [globex.carl])
    assert sorted(rows(ours)) == sorted([(acme.org.pk, acme.alice.user_id), (acme.org.pk, acme.bob.user_id)])
    assert rows(theirs) == [(globex.org.pk, globex.carl.user_id)]


def test_editing_the_agents_keeps_the_rows_that_stay_and_fills_the_new_ones(acme):
    rule = save(acme, [acme.carl, acme.bob])
    kept = AssignmentRuleAgent.objects.get(rule=rule, user_id=acme.bob.user_id).pk
    save(acme, [acme.bob, acme.alice], rule=rule)
    assert sorted(rows(rule)) == sorted([(acme.org.pk, acme.bob.user_id), (acme.org.pk, acme.alice.user_id)])
    assert AssignmentRuleAgent.objects.get(rule=rule, user_id=acme.bob.user_id).pk == kept
    assert set(rule.agents.values_list("pk", flat=True)) == {acme.alice.user_id, acme.bob.user_id}


def test_the_database_holds_an_agent_once_per_rule(acme):
    rule = save(acme, [acme.alice])
    with pytest.raises(IntegrityError), transaction.atomic():
        AssignmentRuleAgent.objects.create(organisation=acme.org, rule=rule, user_id=acme.alice.user_id)


def test_turns_go_by_user_id_not_by_the_order_rows_were_written(acme, new_lead):
    ids = sorted([acme.alice.user_id, acme.bob.user_id, acme.carl.user_id])
    # Carl's row is written first, then the others in the order given (highest id first).
    rule = save(acme, [acme.carl])
    save(acme, [acme.carl, acme.bob, acme.alice], rule=rule)
    written = [user for _org, user in rows(rule)]
    assert written[0] == acme.carl.user_id and written != ids  # the rows are not in id order
    owners = [new_lead(acme, name=f"L{i}", phone=f"98765 4321{i}").owner_id for i in range(4)]
    assert owners == ids + ids[:1]


def test_an_import_takes_turns_in_the_same_order(acme, tmp_path):
    rule = save(acme, [acme.carl])
    save(acme, [acme.carl, acme.alice], rule=rule)
    path = tmp_path / "rr.csv"
    path.write_text("Name,Phone\n" + "".join(f"L{i},98765 4321{i}\n" for i in range(3)))
    assert import_file(acme.org, str(path), actor=Actor.system()).created == 3
    owners = list(
        Lead.objects.filter(organisation=acme.org).order_by("pk").values_list("owner_id", flat=True)
    )
    first, second = sorted([acme.alice.user_id, acme.carl.user_id])
    assert owners == [first, second, first]
