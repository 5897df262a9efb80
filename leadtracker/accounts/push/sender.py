"""Sending one notification to a member's browsers, by the worker (tasks.py), never inside a
request: a push service may be slow or down, and a page must not wait for it.

At send time, not when queued: the notification must still exist (erasing a lead deletes the
notifications about it), the lead it is about must still exist and not be erased or in the
trash, the member must want that kind, and be on shift unless they chose otherwise.
"""

import datetime as dt
import json
from email.utils import parseaddr
from typing import TYPE_CHECKING

from django.apps import apps
from django.conf import settings
from django.utils import timezone

from leadtracker.accounts.models import Notification, PushKind, PushPreference, PushSubscription
from leadtracker.accounts.push import actions, endpoints, keys

if TYPE_CHECKING:
    import requests

# Seconds to wait before each retry of a send the push service failed (5xx, timeout).
BACKOFF = (30, 120, 600)
TIMEOUT = 10
TTL = 12 * 3600
GONE = {404, 410}


def _contact() -> str:
    if settings.SITE_URL.startswith("https://"):
        return settings.SITE_URL
    return "mailto:" + (parseaddr(settings.DEFAULT_FROM_EMAIL)[1] or "noreply@localhost")


def _lead_gone(organisation_id: int, lead_id: int | None) -> bool:
    if lead_id is None:
        return False
    # leads sits above accounts: looked up by name, as the layers allow.
    lead_model = apps.get_model("leads", "Lead")
    return not lead_model.objects.filter(
        organisation_id=organisation_id, pk=lead_id, erased_at__isnull=True
    ).exists()


def _on_shift(organisation_id: int, user_id: int) -> bool:
    # attendance sits above accounts: looked up by name, as the layers allow.
    shift_model = apps.get_model("attendance", "Shift")
    return shift_model.objects.filter(
        organisation_id=organisation_id, user_id=user_id, ended_at__isnull=True
    ).exists()


def why_not(organisation_id: int, user_id: int, kind: str, lead_id: int | None) -> str:
    """Why this push goes to no phone, or "" when it may go."""
    if _lead_gone(organisation_id, lead_id):
        return "the lead was erased or removed"
    pref = PushPreference.objects.filter(organisation_id=organisation_id, user_id=user_id).first()
    if pref is not None and kind in pref.kinds_off:
        return "the person turned this kind off"
    if not (pref is not None and pref.off_shift) and not _on_shift(organisation_id, user_id):
        return "the person is off shift"
    return ""


def payload(note: Notification, kind: str) -> dict:
    return {
        "title": settings.SITE_NAME,
        "body": note.text,
        "url": note.url or "/notifications/",
        "kind": kind if kind in PushKind.values else PushKind.OTHER,
        "tag": f"n{note.pk}",
    }


def _session() -> "requests.Session":
    import requests  # costly (0.15 s), and only a send needs it: see deliver()

    session = requests.Session()
    # A redirect could lead anywhere (endpoints.py); no proxy from the environment either.
    session.max_redirects = 0
    session.trust_env = False
    return session


def deliver(sub: PushSubscription, body: dict) -> str:
    """Send to one browser: "sent", "gone" (removed), "retry" or "refused" (kept, not retried)."""
    try:
        endpoints.check(sub.endpoint)
    except endpoints.Unresolvable:
        return "retry"
    except endpoints.BadEndpoint:
        actions.remove_gone(sub, reason="endpoint")
        return "gone"
    # Costly, and only a send needs them: pywebpush (with aiohttp) and requests were 0.45 s of
    # CPU that every `leadtracker` process (server, worker, command) paid at its start.
    import requests
    from pywebpush import WebPushException, webpush

    info = {"endpoint": sub.endpoint, "keys": {"p256dh": sub.p256dh, "auth": sub.auth}}
    try:
        webpush(
            info,
            json.dumps(body),
            vapid_private_key=keys.vapid(),
            vapid_claims={"sub": _contact()},
            timeout=TIMEOUT,
            ttl=TTL,
            headers={"Urgency": "high"},
            requests_session=_session(),
        )
    except WebPushException as exc:
        status = exc.response.status_code if exc.response is not None else None
        if status in GONE:
            actions.remove_gone(sub, reason=str(status))
            return "gone"
        return "retry" if status is None or status >= 500 or status == 429 else "refused"
    except requests.RequestException:
        return "retry"
    PushSubscription.objects.filter(pk=sub.pk).update(last_sent_at=timezone.now())
    return "sent"


def send(notification_id: int, kind: str, lead_id: int | None, only: list[int] | None = None) -> dict:
    """Send a notification to the member's browsers (those in `only` on a retry); answers what
    happened, with the subscriptions to try again."""
    note = Notification.objects.filter(pk=notification_id).first()
    if note is None:
        return {"skipped": "the notification is gone"}
    return send_payload(note.organisation_id, note.user_id, kind, lead_id, payload(note, kind), only)


def send_payload(
    organisation_id: int,
    user_id: int,
    kind: str,
    lead_id: int | None,
    body: dict,
    only: list[int] | None = None,
) -> dict:
    """Send `body` (title, body, url, kind, tag) to a member's browsers, or say why not."""
    reason = why_not(organisation_id, user_id, kind, lead_id)
    if reason:
        return {"skipped": reason}
    subs = PushSubscription.objects.filter(organisation_id=organisation_id, user_id=user_id)
    if only is not None:
        subs = subs.filter(pk__in=only)
    done = {"sent": 0, "gone": 0, "refused": 0, "retry": []}
    for sub in subs.order_by("pk"):
        outcome = deliver(sub, body)
        if outcome == "retry":
            done["retry"].append(sub.pk)
        else:
            done[outcome] += 1
    return done


def retry_at(attempt: int) -> dt.datetime | None:
    """When to try again after `attempt` tries, or None when it is time to give up."""
    if attempt > len(BACKOFF):
        return None
    return timezone.now() + dt.timedelta(seconds=BACKOFF[attempt - 1])
