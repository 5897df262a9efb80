"""When a provider's status callback never comes (Exotel says it may be delayed or lost, and
tells its users to fall back to its Call details API): each click-to-call placed is remembered
on its connector (``cursor["placed"]``: call id -> when, and our marker), and the worker's
per-minute poll asks for the details of those still without a call WAIT after they were
placed. What comes back goes through the same payload log and processing as a callback."""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from leadtracker.calls.models import Call, CallVia
from leadtracker.integrations import actions as core
from leadtracker.integrations.models import Connector
from leadtracker.integrations.registry import MappingError
from leadtracker.integrations.telephony import NO_CALL, TelephonyError

# Longer than a call and its callback take: the callback usually comes within seconds.
WAIT = dt.timedelta(minutes=15)
# A call not reported a day after it was placed is given up (the provider keeps no less).
KEEP = dt.timedelta(days=1)
MOST = 1000  # remembered calls per connector, the newest


def remember(connector: Connector, call_id: str, marker: str) -> None:
    """Called when a click-to-call was placed; a row lock, so two clicks at once both stay."""
    with transaction.atomic():
        cursor = Connector.objects.select_for_update().values_list("cursor", flat=True).get(pk=connector.pk)
        placed = dict((cursor or {}).get("placed") or {})
        placed[call_id] = [timezone.now().isoformat(), marker]
        newest = dict(sorted(placed.items(), key=lambda item: item[1][0])[-MOST:])
        Connector.objects.filter(pk=connector.pk).update(cursor={**(cursor or {}), "placed": newest})


def _forget(connector: Connector, call_ids: set[str]) -> None:
    with transaction.atomic():
        cursor = Connector.objects.select_for_update().values_list("cursor", flat=True).get(pk=connector.pk)
        placed = {k: v for k, v in ((cursor or {}).get("placed") or {}).items() if k not in call_ids}
        Connector.objects.filter(pk=connector.pk).update(cursor={**(cursor or {}), "placed": placed})


def poll(connector: Connector, line) -> int:
    """Ask for the calls placed WAIT ago and still not stored; returns how many reports it
    logged. A provider that cannot be reached is tried again at the next minute."""
    placed = (connector.cursor or {}).get("placed") or {}
    now = timezone.now()
    due = {cid: (dt.datetime.fromisoformat(at), marker) for cid, (at, marker) in placed.items()}
    due = {cid: v for cid, v in due.items() if v[0] <= now - WAIT}
    if not due:
        return 0
    stored_ids = set(
        Call.objects.filter(
            organisation_id=connector.organisation_id,
            via=CallVia.CLOUD,
            device_call_id__in=[f"{connector.kind}:{cid}" for cid in due],
        ).values_list("device_call_id", flat=True)
    )
    reported = getattr(line, "reported", None)
    if reported is not None:
        # The call stored carries another id than the one placed (Twilio: the lead's leg).
        stored_ids |= {f"{connector.kind}:{cid}" for cid in reported(connector, set(due))}
    done, logged = set(), 0
    try:
        for cid, (at, marker) in due.items():
            if f"{connector.kind}:{cid}" in stored_ids or at < now - KEEP:
                done.add(cid)  # reported by its callback, or given up
                continue
            body = line.fetch_report(connector, cid)
            if body is None:
                continue  # still going
            if body is NO_CALL:
                done.add(cid)  # over, and no call of ours came of it
                continue
            body[getattr(line, "MARKER_FIELD", "CustomField")] = marker
            logged += core.receive_payload(connector, line.external_id(body), body)[1]
            done.add(cid)
    except TelephonyError as exc:
        raise MappingError(exc.message) from None
    finally:
        if done:
            _forget(connector, done)
    return logged
