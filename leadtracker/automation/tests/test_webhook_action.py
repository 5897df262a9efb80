"""A rule's "send a webhook" queues one delivery of ``rule.fired`` to the endpoint it names, the
rule's name in its data and the lead read when sent (the same signed delivery as the app's own
events, retried by the same worker); an endpoint switched off since is skipped and said so."""

from leadtracker.accounts.audit import Actor
from leadtracker.automation.models import RuleRun
from leadtracker.leads.actions.settings import save_webhook
from leadtracker.leads.models import WebhookDelivery
from leadtracker.leads.webhooks import payload
from leadtracker.testing import make_lead


def test_a_rule_sends_its_webhook_once(acme, worker, rule, settings):
    settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = True  # on loopback; nothing is sent here
    sys = Actor.system()
    # Not subscribed to new leads: what it gets for one, the rule sent.
    endpoint = save_webhook(
        acme.org, url="http://127.0.0.1:9/hook", events=["lead.status_changed"], actor=sys
    )
    r = rule(acme, "lead_created", [{"type": "webhook", "endpoint_id": endpoint.pk}], name="To the CRM")
    lead = worker(lambda: make_lead(acme, owner=acme.alice, name="Asha Verma"))
    [delivery] = WebhookDelivery.objects.filter(endpoint=endpoint)
    assert (delivery.event, delivery.lead_id, delivery.data) == (
        "rule.fired",
        lead.pk,
        {"rule": "To the CRM"},
    )
    body = payload(delivery)
    assert body["lead"]["name"] == "Asha Verma" and body["data"] == {"rule": "To the CRM"}
    assert RuleRun.objects.get(rule=r, lead=lead).did == [{"type": "webhook", "endpoint": endpoint.pk}]


def test_an_endpoint_switched_off_is_skipped(acme, worker, rule, settings):
    settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = True
    sys = Actor.system()
    endpoint = save_webhook(
        acme.org, url="http://127.0.0.1:9/hook", events=["lead.status_changed"], actor=sys
    )
    r = rule(acme, "lead_created", [{"type": "webhook", "endpoint_id": endpoint.pk}])
    save_webhook(
        acme.org,
        url=endpoint.url,
        events=["lead.status_changed"],
        actor=sys,
        endpoint=endpoint,
        is_active=False,
    )
    lead = worker(lambda: make_lead(acme, owner=acme.alice))
    assert not WebhookDelivery.objects.exists()
    assert RuleRun.objects.get(rule=r, lead=lead).did == [
        {"type": "webhook", "skipped": "webhook off or removed"}
    ]
