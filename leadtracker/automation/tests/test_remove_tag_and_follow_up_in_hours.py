"""Two actions a rule may take beside those its templates use: removing a tag (through the tags
action, audited, said on the rule log; a lead without the tag is left as it is) and a follow-up in
N hours (no time of day: N hours from the moment the rule fires, the owner's)."""

import datetime as dt

import time_machine

from leadtracker.accounts.audit import Actor
from leadtracker.accounts.models import AuditEvent
from leadtracker.automation.models import RuleRun
from leadtracker.leads.actions.leads import change_status
from leadtracker.leads.actions.tags import add_tags
from leadtracker.leads.models import FollowUp, LeadStatus
from leadtracker.testing import make_lead

T0 = dt.datetime(2026, 12, 7, 9, 40, tzinfo=dt.UTC)


def test_a_rule_removes_a_tag_once_and_leaves_an_untagged_lead_alone(acme, worker, rule):
    won = LeadStatus.objects.get(organisation=acme.org, name="Won")
    r = rule(
        acme, "status_changed", [{"type": "remove_tag", "tag": "Hot"}], conditions={"status_ids": [won.pk]}
    )
    actor = Actor.for_user(acme.alice.user)
    hot = make_lead(acme, owner=acme.alice, phone="98111 00051")
    add_tags(hot, ["Hot", "VIP"], actor=actor)
    plain = make_lead(acme, owner=acme.alice, phone="98111 00052")
    before = AuditEvent.objects.filter(action="lead.tags").count()
    worker(lambda: change_status(hot, won, actor=actor, by=acme.alice))
    worker(lambda: change_status(plain, won, actor=actor, by=acme.alice))
    assert list(hot.tags.values_list("name", flat=True)) == ["VIP"]
    assert RuleRun.objects.get(rule=r, lead=hot).did == [{"type": "remove_tag", "tag": "Hot"}]
    assert RuleRun.objects.get(rule=r, lead=plain).did == [
        {"type": "remove_tag", "tag": "Hot", "skipped": "not tagged"}
    ]
    tagged = AuditEvent.objects.filter(action="lead.tags").order_by("pk")[before:]
    assert [(e.object_id, e.actor_kind) for e in tagged] == [(str(hot.pk), "system")]


def test_a_follow_up_in_hours_is_due_that_many_hours_after_the_rule_fired(acme, worker, rule):
    r = rule(acme, "lead_created", [{"type": "follow_up", "in_hours": 3, "kind": "call"}], name="Call back")
    with time_machine.travel(T0, tick=False):
        lead = worker(lambda: make_lead(acme, owner=acme.bob))
    fu = FollowUp.objects.get(lead=lead)
    assert (fu.due_at, fu.kind, fu.assignee_id, fu.note) == (
        T0 + dt.timedelta(hours=3),
        "call",
        acme.bob.user_id,
        "Call back",
    )
    assert RuleRun.objects.get(rule=r, lead=lead).did == [{"type": "follow_up", "follow_up": fu.pk}]
