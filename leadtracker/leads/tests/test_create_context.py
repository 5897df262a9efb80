"""A create's context (leads/create_context.py), a statement written once per shape, answers as
the ORM's queries do — the default status (active, open, first by position and id; none when
there is none), custom fields, active assignment rules, active webhooks, and the higher apps'
questions (automation: active rules for a created lead) — in one statement, whatever holds."""

import random

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from leadtracker.accounts.models import Organisation
from leadtracker.automation.models import Rule, Trigger
from leadtracker.leads.create_context import QUESTIONS, create_context
from leadtracker.leads.fields.models import CustomField
from leadtracker.leads.models import AssignmentRule, LeadStatus, StatusKind, WebhookEndpoint


def expected(org_id: int, need_status: bool) -> tuple:
    """What the ORM says, asked one by one."""
    status = None
    if need_status:
        open_ = LeadStatus.objects.filter(organisation_id=org_id, is_active=True, kind=StatusKind.OPEN)
        status = open_.first()
    return (
        status,
        CustomField.objects.filter(organisation_id=org_id).exists(),
        AssignmentRule.objects.filter(organisation_id=org_id, is_active=True).exists(),
        WebhookEndpoint.objects.filter(organisation_id=org_id, is_active=True).exists(),
        {name: _asked(ask, org_id) for name, ask in QUESTIONS.items()},
    )


def _asked(ask, org_id: int) -> bool:
    return Organisation.objects.filter(pk=org_id).annotate(x=ask(org_id)).values_list("x", flat=True).get()


def step(rng: random.Random, org) -> None:
    """One random change of what a create consults."""
    kind = rng.choice(["status", "field", "rule", "hook", "automation"])
    if kind == "status":
        LeadStatus.objects.create(
            organisation=org,
            name=f"S{rng.random()}",
            kind=rng.choice([StatusKind.OPEN, StatusKind.WON, StatusKind.LOST]),
            position=rng.randint(0, 3),
            is_active=rng.random() < 0.6,
        )
        if rng.random() < 0.3:  # or one open status stops being active
            first = LeadStatus.objects.filter(organisation=org, kind=StatusKind.OPEN, is_active=True).first()
            if first is not None:
                LeadStatus.objects.filter(pk=first.pk).update(is_active=False)
    elif kind == "field":
        if rng.random() < 0.5:
            key = f"k{rng.randint(0, 10**9)}"
            CustomField.objects.create(organisation=org, key=key, label="K", type="text")
        else:
            CustomField.objects.filter(organisation=org).delete()
    elif kind == "rule":
        if rng.random() < 0.5:
            active = rng.random() < 0.5
            AssignmentRule.objects.create(organisation=org, name=f"R{rng.random()}", is_active=active)
        else:
            AssignmentRule.objects.filter(organisation=org).update(is_active=False)
    elif kind == "hook":
        if rng.random() < 0.5:
            WebhookEndpoint.objects.create(
                organisation=org, url="https://example.in/h", secret="s" * 32, is_active=rng.random() < 0.5
            )
        else:
            WebhookEndpoint.objects.filter(organisation=org).update(is_active=False)
    elif rng.random() < 0.5:
        Rule.objects.create(
            organisation=org,
            name=f"A{rng.random()}",
            trigger=rng.choice([Trigger.LEAD_CREATED, Trigger.STATUS_CHANGED]),
            is_active=rng.random() < 0.5,
        )
    else:
        Rule.objects.filter(organisation=org).update(is_active=False)


def test_the_context_is_what_the_orm_says(acme, globex):
    assert "automation_created_rules" in QUESTIONS  # automation asks its question here
    rng = random.Random(21)
    for _ in range(60):
        step(rng, rng.choice([acme.org, globex.org]))
        for org in (acme.org, globex.org):
            for need_status in (True, False):
                with CaptureQueriesContext(connection) as ctx:
                    got = create_context(org.pk, need_status=need_status)
                assert len(ctx.captured_queries) == 1
                status, fields, rules, hooks, known = expected(org.pk, need_status)
                assert (got.has_fields, got.has_rules, got.has_hooks) == (fields, rules, hooks)
                assert got.known == known
                assert type(got.has_fields) is bool and all(type(v) is bool for v in got.known.values())
                if status is None:
                    assert got.status is None
                else:
                    assert got.status.pk == status.pk
                    got_fields = {f.attname: getattr(got.status, f.attname) for f in LeadStatus._meta.fields}
                    want_fields = {f.attname: getattr(status, f.attname) for f in LeadStatus._meta.fields}
                    assert got_fields == want_fields


def test_an_organisation_with_no_open_status_has_none(acme):
    LeadStatus.objects.filter(organisation=acme.org, kind=StatusKind.OPEN).update(is_active=False)
    assert create_context(acme.org.pk, need_status=True).status is None


def test_no_such_organisation(db):
    with pytest.raises(Organisation.DoesNotExist):
        create_context(10**9, need_status=True)
