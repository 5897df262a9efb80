"""Erasing a lead a rule acted on every way it can — tagged it, planned a follow-up, told its
owner in the app, by push and by e-mail, sent a webhook — leaves no trace of the person in any
column of any table of the database (the privacy scanner's whole-database look), the rule's log
of the lead included; the rule itself stays."""

import pytest

from leadtracker.accounts.audit import Actor
from leadtracker.accounts.models import PushSubscription
from leadtracker.automation.models import Rule, RuleRun
from leadtracker.leads.actions.settings import save_webhook
from leadtracker.privacy.erasure.actions import erase_lead
from leadtracker.privacy.tests.erasure_util import scan_database
from leadtracker.testing import make_lead

NAME, PHONE = "Meera Iyer", "98111 22233"
TRACES = {NAME, "Meera", "Iyer", "+919811122233", PHONE, "9811122233"}


@pytest.mark.django_db(transaction=True)
def test_erasing_a_lead_a_rule_acted_on_leaves_no_trace(acme, worker, rule, settings):
    settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = True  # on loopback; nothing is sent here
    sys = Actor.system()
    endpoint = save_webhook(acme.org, url="http://127.0.0.1:9/hook", events=["lead.assigned"], actor=sys)
    PushSubscription.objects.create(
        organisation_id=acme.org.pk,
        user_id=acme.alice.user_id,
        endpoint="https://push.example.test/1",
        p256dh="p",
        auth="a",
    )
    actions = [
        {"type": "add_tag", "tag": "Fresh"},
        {"type": "follow_up", "in_hours": 2, "kind": "call"},
        {"type": "notify", "to": "owner", "email": True},
        {"type": "notify", "to": "manager", "email": True},
        {"type": "webhook", "endpoint_id": endpoint.pk},
    ]
    fired = rule(acme, "lead_created", actions, name="Welcome")
    lead = worker(lambda: make_lead(acme, owner=acme.alice, name=NAME, phone=PHONE))
    run = RuleRun.objects.get(rule=fired, lead=lead)
    assert [d["type"] for d in run.did if "skipped" not in d] == [a["type"] for a in actions]
    assert scan_database(TRACES)  # the scanner finds the person before

    erase_lead(lead, actor=Actor.for_user(acme.olga.user), by=acme.olga)

    assert scan_database(TRACES) == []
    assert not RuleRun.objects.filter(lead_id=lead.pk).exists()
    assert Rule.objects.filter(pk=fired.pk).exists()
