"""A rule's conditions — time of day in the organisation's zone (wrapping midnight), the owner
on shift, a manager's team — and round-robin assignment taking turns among those on shift."""

import datetime as dt

import time_machine

from leadtracker.accounts.audit import Actor
from leadtracker.automation.actions import save_rule
from leadtracker.automation.engine import fire, matches
from leadtracker.testing import make_lead, open_shift

IST = dt.timezone(dt.timedelta(hours=5, minutes=30))


def _rule(people, conditions, actions=None):
    return save_rule(
        people.org,
        name="R",
        trigger="lead_created",
        conditions=conditions,
        actions=actions or [{"type": "add_tag", "tag": "t"}],
        actor=Actor.system(),
    )


def test_time_of_day_is_the_organisations_and_wraps_midnight(acme):
    lead = make_lead(acme, owner=acme.alice)
    night = _rule(acme, {"hours": [20, 8]})
    for hour, inside in ((23, True), (2, True), (8, False), (14, False)):
        assert matches(night, lead, now=dt.datetime(2026, 12, 7, hour, 0, tzinfo=IST)) is inside, hour


def test_the_owner_on_shift_and_the_owners_team(acme):
    lead = make_lead(acme, owner=acme.alice)
    now = dt.datetime.now(dt.UTC)
    on_shift = _rule(acme, {"on_shift": True})
    assert not matches(on_shift, lead, now=now)
    open_shift(acme.alice)
    assert matches(on_shift, lead, now=now)
    on_shift.conditions = {"team_id": acme.maya.pk}  # Alice reports to Maya
    assert matches(on_shift, lead, now=now)
    on_shift.conditions = {"team_id": acme.mark.pk}
    assert not matches(on_shift, lead, now=now)


def test_round_robin_takes_turns_among_those_on_shift(acme):
    with time_machine.travel(dt.datetime(2026, 12, 7, 11, 0, tzinfo=IST), tick=False):
        for member in (acme.bob, acme.carl):
            open_shift(member)
        rule = _rule(acme, {}, [{"type": "assign", "team_id": None, "on_shift": True}])
        owners = []
        for n in range(4):
            lead = make_lead(acme, owner=acme.alice, phone=f"98111 0001{n}")
            fire(rule, lead, "created")
            lead.refresh_from_db()
            owners.append(lead.owner_id)
    assert owners == [acme.bob.user_id, acme.carl.user_id] * 2
