"""Assignment by hand, in bulk and by round-robin rules — fair under concurrency."""

import threading

import pytest

from leadtracker.accounts.actions import deactivate_member
from leadtracker.accounts.audit import Actor
from leadtracker.leads.actions.assignment import (
    assign_by_rules,
    assign_lead,
    bulk_assign,
    save_assignment_rule,
)
from leadtracker.leads.actions.leads import default_status
from leadtracker.leads.actions.settings import create_source
from leadtracker.leads.models import Activity, AssignmentRule, Lead
from leadtracker.lib.errors import ActionError


def rule(people, agents, source=None):
    return save_assignment_rule(
        people.org, name="RR", agent_ids=[a.user_id for a in agents], source=source, actor=Actor.system()
    )


def test_round_robin_takes_turns(acme, new_lead):
    rule(acme, [acme.alice, acme.bob, acme.carl])
    owners = [new_lead(acme, name=f"L{i}", phone=f"98765 4321{i}", by=acme.olga).owner_id for i in range(6)]
    ids = [acme.alice.user_id, acme.bob.user_id, acme.carl.user_id]
    assert owners == ids + ids
    lead = Lead.objects.get(owner_id=ids[0], name="L0")
    assert Activity.objects.get(lead=lead, kind="owner").data["reason"].startswith("rule:")


def test_source_rule_beats_the_general_one(acme, new_lead):
    web = create_source(acme.org, "Website", actor=Actor.system())
    rule(acme, [acme.alice])
    rule(acme, [acme.carl], source=web)
    assert new_lead(acme, name="W", phone="98765 43210", source=web).owner_id == acme.carl.user_id
    assert new_lead(acme, name="O", phone="98765 43211").owner_id == acme.alice.user_id


def test_deactivated_agent_is_left_out(acme, new_lead):
    rule(acme, [acme.alice, acme.bob])
    deactivate_member(acme.bob, actor=Actor.system(), by=acme.olga)
    owners = {new_lead(acme, name=f"L{i}", phone=f"98765 4321{i}").owner_id for i in range(3)}
    assert owners == {acme.alice.user_id}


def test_manual_and_bulk_assignment_respect_the_tree(acme, new_lead):
    lead = new_lead(acme, name="L", phone="98765 43210", by=acme.olga)
    with pytest.raises(ActionError):  # carl is in mark's team, not mani's
        assign_lead(lead, acme.carl.user_id, actor=Actor.system(), by=acme.mani)
    assign_lead(lead, acme.bob.user_id, actor=Actor.system(), by=acme.mani)
    with pytest.raises(ActionError):
        assign_lead(lead, acme.alice.user_id, actor=Actor.system(), by=acme.bob)  # agents can't
    more = [new_lead(acme, name=f"B{i}", phone=f"91234 5678{i}").pk for i in range(3)]
    n = bulk_assign(Lead.objects.filter(pk__in=more), acme.alice.user_id, actor=Actor.system(), by=acme.maya)
    assert n == 3 and set(Lead.objects.filter(pk__in=more).values_list("owner_id", flat=True)) == {
        acme.alice.user_id
    }


@pytest.mark.django_db(transaction=True)
def test_concurrent_arrivals_take_turns_without_skipping(acme):
    """Eight leads arrive at once, each in its own thread and connection; the rule's row lock
    makes them take consecutive turns: each of four agents gets exactly two. (On SQLite the
    same holds through its single-writer lock; the PostgreSQL pass tests the row lock.)"""
    agents = [acme.alice, acme.bob, acme.carl, acme.mani]
    rule(acme, agents)
    barrier = threading.Barrier(8)
    errors = []

    def arrive(i):
        from django.db import connections

        try:
            barrier.wait()
            lead = Lead.objects.create(
                organisation=acme.org,
                name=f"C{i}",
                phone=f"+91987654321{i}",
                status=default_status(acme.org.pk),
            )
            assign_by_rules([lead], actor=Actor.system())
        except Exception as exc:  # noqa: BLE001 — reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=arrive, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert not errors
    counts = {}
    for owner in Lead.objects.filter(organisation=acme.org).values_list("owner_id", flat=True):
        counts[owner] = counts.get(owner, 0) + 1
    assert counts == {a.user_id: 2 for a in agents}
    assert AssignmentRule.objects.get().turn == 8


def test_only_agents_on_shift_take_turns(acme, new_lead, api_as):
    from leadtracker.attendance.actions import punch_in, punch_out

    save_assignment_rule(
        acme.org,
        name="On shift",
        agent_ids=[acme.alice.user_id, acme.bob.user_id, acme.carl.user_id],
        only_on_shift=True,
        actor=Actor.system(),
    )
    # Nobody punched in: the lead waits for a manager.
    assert new_lead(acme, name="L0", phone="98765 43210").owner_id is None
    punch_in(acme.alice, actor=Actor.system())
    punch_in(acme.carl, actor=Actor.system())
    owners = [new_lead(acme, name=f"L{i}", phone=f"98765 4321{i}").owner_id for i in range(1, 5)]
    assert owners == [acme.alice.user_id, acme.carl.user_id, acme.alice.user_id, acme.carl.user_id]
    punch_out(acme.carl, actor=Actor.system())
    punch_in(acme.bob, actor=Actor.system())
    owners = [new_lead(acme, name=f"M{i}", phone=f"91234 5678{i}").owner_id for i in range(3)]
    assert owners == [acme.alice.user_id, acme.bob.user_id, acme.alice.user_id]


def test_rules_through_the_api(acme, api_as):
    admin = api_as(acme.olga)
    body = {"name": "Web", "agent_ids": [acme.alice.user_id, acme.bob.user_id], "only_on_shift": True}
    created = admin.post("/api/v1/assignment-rules", body, content_type="application/json")
    assert created.status_code == 201 and created.json()["only_on_shift"] is True
    assert admin.get("/api/v1/assignment-rules").json()[0]["agent_ids"] == sorted(
        [acme.alice.user_id, acme.bob.user_id]
    )
    assert (
        api_as(acme.maya).post("/api/v1/assignment-rules", body, content_type="application/json").status_code
        == 403
    )
