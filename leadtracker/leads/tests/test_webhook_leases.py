"""A webhook delivery is sent under a lease: one whose worker died mid-send is sent again when
the lease lapses, one a live worker holds is left to it (issue 15 item 2)."""

import datetime as dt

import pytest
from django.utils import timezone

from leadtracker.leads.models import WebhookDelivery
from leadtracker.leads.tests.test_webhooks import endpoint, local_receivers_allowed, receiver  # noqa: F401
from leadtracker.leads.webhooks import MAX_ATTEMPTS, send_due
from leadtracker.lib import leases

DEAD = "gone:4242:0badf00d"


@pytest.fixture
def delivery(acme, new_lead, receiver):  # noqa: F811
    r = receiver()
    endpoint(acme, r.url, events=["lead.created"])
    new_lead(acme, name="Raj", phone="98765 43210")
    return WebhookDelivery.objects.get(), r


def held_by(delivery, holder, seconds, attempts=1):
    """What a worker leaves when it took the delivery (its attempt counted) and is sending."""
    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        lease_holder=holder, lease_until=timezone.now() + dt.timedelta(seconds=seconds), attempts=attempts
    )


def test_a_delivery_whose_worker_died_is_sent_when_its_lease_lapses(delivery):
    delivery, r = delivery
    held_by(delivery, DEAD, seconds=-1)
    assert send_due() == 1
    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts, delivery.lease_holder, delivery.lease_until) == (
        "delivered",
        2,  # the attempt that died counts
        "",
        None,
    )
    assert len(r.received) == 1


def test_a_delivery_a_live_worker_holds_is_left_to_it(delivery):
    delivery, r = delivery
    held_by(delivery, "alive:1:cafe", seconds=60)
    assert send_due() == 0
    assert send_due(timezone.now() + dt.timedelta(hours=1)) == 0  # due or not, it is taken
    assert not r.received and WebhookDelivery.objects.get().state == "pending"


def test_a_delivery_whose_worker_died_on_its_last_attempt_is_given_up(delivery):
    delivery, r = delivery
    held_by(delivery, DEAD, seconds=-1, attempts=MAX_ATTEMPTS)
    assert send_due() == 0
    delivery.refresh_from_db()
    assert (delivery.state, delivery.last_error) == ("failed", "the worker stopped")
    assert delivery.lease_holder == ""
    assert not r.received


def test_the_sender_holds_the_lease_while_it_sends(delivery, monkeypatch):
    delivery, r = delivery
    seen = []

    def open_and_look(request, timeout):
        seen.append(WebhookDelivery.objects.values_list("lease_holder", "attempts").get())
        raise OSError("no route")

    monkeypatch.setattr("leadtracker.leads.webhooks._opener.open", open_and_look)
    assert send_due() == 1
    assert seen == [(leases.holder(), 1)]
    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts, delivery.lease_holder) == ("pending", 1, "")
    assert delivery.last_error == "could not connect"
