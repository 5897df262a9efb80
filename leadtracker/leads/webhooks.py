"""Outgoing webhooks: queued with the change, sent by the worker, signed, retried with backoff.

Receivers check ``X-LeadTracker-Signature: sha256=<hex>``, the HMAC-SHA256 of the raw body
under the endpoint's secret, and may use ``X-LeadTracker-Delivery`` to ignore repeats.
"""

import datetime as dt
import hashlib
import hmac
import ipaddress
import json
import logging
import secrets
import socket
import urllib.error
import urllib.request
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django_tasks import task

from leadtracker.leads.models import DeliveryState, WebhookDelivery, WebhookEndpoint
from leadtracker.lib import leases
from leadtracker.lib.periodic import periodic

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
TIMEOUT_SECONDS = 10


class BlockedAddress(ValueError):
    pass


def check_destination(url: str) -> None:
    """Refuse webhook URLs that resolve to this machine or a private network (SSRF), unless
    the server's operator allows it (WEBHOOK_ALLOW_PRIVATE_ADDRESSES, for intranet receivers)."""
    if settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES:
        return
    host = urlsplit(url).hostname or ""
    try:
        infos = socket.getaddrinfo(host, None)
    except (socket.gaierror, UnicodeError):
        raise BlockedAddress(_("cannot resolve %r") % host) from None
    for info in infos:
        address = ipaddress.ip_address(info[4][0].split("%")[0])
        if not address.is_global or address.is_multicast:
            raise BlockedAddress(_("points to a private, loopback or reserved address"))


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    # A redirect could lead anywhere (another scheme, an internal address): not followed.
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


_opener = urllib.request.build_opener(_NoRedirects)


def backoff(attempts: int) -> dt.timedelta:
    """1 min, 2, 4 … capped at 6 h between tries."""
    return dt.timedelta(minutes=min(2 ** (attempts - 1), 360))


def new_secret() -> str:
    return secrets.token_hex(32)


def sign(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def subscribers(org_id: int, event: str) -> list[WebhookEndpoint]:
    """The organisation's active endpoints that take ``event``."""
    return [
        e for e in WebhookEndpoint.objects.filter(organisation_id=org_id, is_active=True) if event in e.events
    ]


def queue_event(org_id: int, lead_ids: list[int], event: str, data: dict, *, endpoints=None) -> int:
    """Queue a delivery of ``event`` about each of the organisation's leads to every endpoint
    that takes it, in bulk (an import queues a batch's thousand at once); the worker sends them
    after the commit. ``endpoints``: subscribers(org_id, event), for a caller that looked them
    up already. Returns how many deliveries were queued."""
    if endpoints is None:
        endpoints = subscribers(org_id, event)
    if not endpoints or not lead_ids:
        return 0
    WebhookDelivery.objects.bulk_create(
        [
            WebhookDelivery(organisation_id=org_id, endpoint=e, event=event, lead_id=pk, data=data)
            for e in endpoints
            for pk in lead_ids
        ],
        batch_size=1000,
    )
    transaction.on_commit(lambda: send_due_webhooks.enqueue())
    return len(endpoints) * len(lead_ids)


def emit(lead, event: str, data: dict) -> None:
    """Queue deliveries of ``event`` about one lead (sent by the worker after the commit)."""
    queue_event(lead.organisation_id, [lead.pk], event, data)


def payload(delivery: WebhookDelivery) -> dict:
    lead = delivery.lead
    body = {
        "id": str(delivery.pk),
        "event": delivery.event,
        "created_at": delivery.created_at.isoformat(),
        "data": delivery.data,
        "lead": None,
    }
    if lead is not None:
        body["lead"] = {
            "id": lead.pk,
            "name": lead.name,
            "company": lead.company,
            "email": lead.email,
            "phone": lead.phone,
            "city": lead.city,
            "status": lead.status.name,
            "owner_id": lead.owner_id,
            "source": lead.source.name if lead.source_id else None,
            "value": str(lead.value) if lead.value is not None else None,
            # Custom fields, {key: value}, read when sent like the rest (hidden ones too: the
            # receiver is the organisation's own system, set up by an admin).
            "fields": lead.custom_fields,
        }
    return body


def deliver(delivery: WebhookDelivery, now=None) -> bool:
    """One attempt, on a delivery this worker holds the lease of (its attempt counted when it
    was taken). Success is any 2xx; anything else is retried later, up to MAX_ATTEMPTS."""
    now = now or timezone.now()
    endpoint = delivery.endpoint
    body = json.dumps(payload(delivery), ensure_ascii=False).encode()
    request = urllib.request.Request(  # noqa: S310 — the admin set this URL; http(s) is checked on save
        endpoint.url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json",
            "User-Agent": "LeadTracker-Webhook/1",
            "X-LeadTracker-Event": delivery.event,
            "X-LeadTracker-Delivery": str(delivery.pk),
            "X-LeadTracker-Signature": sign(endpoint.secret, body),
        },
    )
    status, error = None, ""
    try:
        check_destination(endpoint.url)
        with _opener.open(request, timeout=TIMEOUT_SECONDS) as response:
            status = response.status
    except BlockedAddress as exc:
        error = f"refused: {exc}"
    except urllib.error.HTTPError as exc:
        status, error = exc.code, f"HTTP {exc.code}"
    except TimeoutError:
        error = gettext_noop("timed out")  # stored in English, shown in the reader's language
    except (urllib.error.URLError, OSError, ValueError):
        error = gettext_noop("could not connect")  # no more detail: the log is not a network probe
    delivery.last_status_code = status
    delivery.last_error = error
    if status is not None and 200 <= status < 300:
        delivery.state = DeliveryState.DELIVERED
        delivery.delivered_at = now
    elif delivery.attempts >= MAX_ATTEMPTS:
        delivery.state = DeliveryState.FAILED
    else:
        delivery.next_attempt_at = now + backoff(delivery.attempts)
    try:
        leases.release(
            WebhookDelivery.objects.filter(pk=delivery.pk),
            last_status_code=status,
            last_error=error,
            state=delivery.state,
            delivered_at=delivery.delivered_at,
            next_attempt_at=delivery.next_attempt_at,
        )
    except leases.LeaseLost:
        # This worker was presumed dead mid-send and another took the delivery: its outcome
        # is the one that counts (the receiver may see both: the delivery id tells them apart).
        logger.warning("webhook delivery %s: taken over by another worker", delivery.pk)
    return delivery.state == DeliveryState.DELIVERED


def send_due(now=None, limit: int = 200) -> int:
    """Send every delivery that is due; returns how many were attempted. Each is taken with its
    lease (lib/leases.py) in one conditional UPDATE that also counts the attempt, sent outside
    any transaction, and saved with the lease released: a slow receiver never holds a database
    lock, and two workers never send the same delivery together. A worker that dies mid-send
    leaves a lease that lapses, and the delivery is due again on the next pass (the attempt
    counted, so a delivery that kills its worker is not tried for ever)."""
    sent = 0
    while sent < limit:
        at = now or timezone.now()
        due = WebhookDelivery.objects.filter(state=DeliveryState.PENDING, next_attempt_at__lte=at)
        found = (
            due.filter(leases.free()).order_by("next_attempt_at", "id").values_list("pk", "attempts").first()
        )
        if found is None:
            break
        pk, attempts = found
        if attempts >= MAX_ATTEMPTS:
            # Its worker died during the last attempt: given up, as after any last failure.
            due.filter(leases.free(), pk=pk).update(
                state=DeliveryState.FAILED,
                lease_until=None,
                lease_holder="",
                last_error=gettext_noop("the worker stopped"),
            )
            continue
        if not leases.take(due.filter(pk=pk), attempts=F("attempts") + 1):
            continue  # another worker took it first
        delivery = WebhookDelivery.objects.select_related("endpoint", "lead__status", "lead__source").get(
            pk=pk
        )
        deliver(delivery, at)
        sent += 1
    return sent


@periodic(every=dt.timedelta(minutes=1))
@task()
def send_due_webhooks() -> int:
    # Defined beside queue_event, which queues it; tasks.py names it too, for the tasks queued
    # before it moved here (their rows say leadtracker.leads.tasks.send_due_webhooks).
    return send_due()
