"""Outgoing webhooks: signed with HMAC-SHA256, delivered by the worker, retried with backoff."""

import datetime as dt
import hashlib
import hmac
import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.utils import timezone

from leadtracker.accounts.audit import Actor
from leadtracker.leads.actions.leads import change_status
from leadtracker.leads.actions.settings import save_webhook
from leadtracker.leads.models import WebhookDelivery, WebhookEndpoint
from leadtracker.leads.webhooks import backoff, send_due


class Receiver:
    """A real HTTP server on loopback that answers with the statuses it is given."""

    def __init__(self, statuses):
        self.statuses = list(statuses)
        self.received = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.received.append((self.headers, body))  # case-insensitive lookups
                self.send_response(receiver.statuses.pop(0) if receiver.statuses else 200)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hook"
        # shutdown() waits for serve_forever to look again: every 0.5 s by default, which was
        # half a second at the end of each test.
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True
        )
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture(autouse=True)
def local_receivers_allowed(settings):
    # The receivers in these tests listen on loopback, which production refuses by default.
    settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = True


@pytest.fixture
def receiver():
    made = []

    def make(statuses=()):
        r = Receiver(statuses)
        made.append(r)
        return r

    yield make
    for r in made:
        r.close()


def endpoint(people, url, events=("lead.created", "lead.status_changed", "lead.assigned")):
    return save_webhook(people.org, url=url, events=list(events), actor=Actor.system())


def test_delivery_is_signed_and_carries_the_lead(acme, new_lead, receiver):
    r = receiver()
    hook = endpoint(acme, r.url)
    lead = new_lead(acme, name="राज शर्मा", phone="98765 43210")
    assert send_due() >= 1
    headers, body = r.received[0]
    expected = "sha256=" + hmac.new(hook.secret.encode(), body, hashlib.sha256).hexdigest()
    assert headers["X-LeadTracker-Signature"] == expected
    payload = json.loads(body)
    assert payload["event"] == "lead.created" and payload["lead"]["name"] == "राज शर्मा"
    assert payload["lead"]["phone"] == "+919876543210" and payload["lead"]["id"] == lead.pk
    assert WebhookDelivery.objects.filter(state="delivered").count() >= 1


def test_failures_are_retried_with_backoff_then_given_up(acme, new_lead, receiver):
    r = receiver(statuses=[500, 503] + [500] * 10)
    endpoint(acme, r.url, events=["lead.created"])
    new_lead(acme, name="Raj", phone="98765 43210")
    delivery = WebhookDelivery.objects.get()
    now = timezone.now()
    send_due(now)
    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts, delivery.last_status_code) == ("pending", 1, 500)
    assert delivery.next_attempt_at == now + backoff(1)
    assert send_due(now + dt.timedelta(seconds=30)) == 0  # not due yet
    later = now
    for _ in range(7):
        later = later + dt.timedelta(hours=7)
        send_due(later)
    delivery.refresh_from_db()
    assert delivery.state == "failed" and delivery.attempts == 8
    assert len(r.received) == 8
    # Every attempt carries the same delivery id, so the receiver can ignore repeats.
    assert len({h["X-LeadTracker-Delivery"] for h, _ in r.received}) == 1


def test_unreachable_endpoint_is_logged(acme, new_lead):
    endpoint(acme, "http://127.0.0.1:9/nothing-listens-here", events=["lead.created"])
    new_lead(acme, name="Raj", phone="98765 43210")
    send_due()
    delivery = WebhookDelivery.objects.get()
    assert delivery.state == "pending" and delivery.last_error


def test_only_subscribed_events_are_sent(acme, new_lead, receiver):
    r = receiver()
    endpoint(acme, r.url, events=["lead.status_changed"])
    lead = new_lead(acme, name="Raj", phone="98765 43210")
    assert WebhookDelivery.objects.count() == 0
    status = lead.organisation.lead_statuses.get(name="Contacted")
    change_status(lead, status, actor=Actor.system(), by=acme.olga)
    send_due()
    assert json.loads(r.received[0][1])["data"] == {"from": "New", "to": "Contacted"}


@pytest.mark.parametrize("url", ["ftp://example.in/x", "file:///etc/passwd", "not a url"])
def test_only_http_urls_are_accepted(acme, url):
    from leadtracker.lib.errors import ActionError

    with pytest.raises(ActionError) as caught:
        endpoint(acme, url)
    assert caught.value.field == "url"
    assert not WebhookEndpoint.objects.exists()


def test_admin_manages_webhooks_through_the_api(acme, api_as, settings):
    admin = api_as(acme.olga)
    created = admin.post(
        "/api/v1/webhooks",
        {"url": "https://example.in/hook", "events": ["lead.created"]},
        content_type="application/json",
    )
    assert created.status_code == 201 and len(created.json()["secret"]) == 64
    listed = admin.get("/api/v1/webhooks").json()
    assert listed == [
        {
            "id": created.json()["id"],
            "url": "https://example.in/hook",
            "events": ["lead.created"],
            "is_active": True,
        }
    ]  # the secret is not shown again
    assert api_as(acme.maya).get("/api/v1/webhooks").status_code == 403
    assert admin.delete(f"/api/v1/webhooks/{created.json()['id']}").status_code == 204


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8000/x",
        "http://[::1]/x",
        "http://169.254.169.254/latest",
        "http://10.0.0.5/hook",
        "http://localhost/hook",
    ],
)
def test_private_addresses_are_refused_by_default(acme, settings, url):
    from leadtracker.lib.errors import ActionError

    settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = False
    with pytest.raises(ActionError) as caught:
        endpoint(acme, url)
    assert caught.value.field == "url"


def test_delivery_refuses_an_address_that_became_private(acme, new_lead, receiver, settings):
    r = receiver()
    endpoint(acme, r.url, events=["lead.created"])
    settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = False
    new_lead(acme, name="Raj", phone="98765 43210")
    send_due()
    delivery = WebhookDelivery.objects.get()
    assert delivery.state == "pending" and delivery.last_error.startswith("refused") and not r.received


def test_redirects_are_not_followed(acme, new_lead, receiver):
    r = receiver(statuses=[302])
    endpoint(acme, r.url, events=["lead.created"])
    new_lead(acme, name="Raj", phone="98765 43210")
    send_due()
    assert WebhookDelivery.objects.get().last_status_code == 302
