"""A connector's health: when it last heard from its provider and its last error, in plain
words. Kept on the connector row (no audit event: these are measurements of the provider, not
changes anyone made), and the figures of the health panel."""

import datetime as dt

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_noop

from leadtracker.integrations.models import Connector, Payload, PayloadStatus
from leadtracker.lib.stored_text import english, stored

# "Last received" is kept to this precision: every delivery updating the connector's one row
# would make a burst of deliveries queue behind each other's row lock (PostgreSQL holds it to
# the end of each delivery's transaction).
RECEIVED_PRECISION = dt.timedelta(seconds=30)


def note_received(connector: Connector, at=None) -> None:
    at = at or timezone.now()
    if connector.last_received_at is not None and connector.last_received_at >= at - RECEIVED_PRECISION:
        # Read with the connector in this request: fresh enough, no statement (in a burst, all
        # but one delivery in 30 s).
        return
    stale = Q(last_received_at__isnull=True) | Q(last_received_at__lt=at - RECEIVED_PRECISION)
    Connector.objects.filter(stale, pk=connector.pk).update(last_received_at=at)
    if connector.last_received_at is None or connector.last_received_at < at - RECEIVED_PRECISION:
        connector.last_received_at = at


def note_error(connector: Connector, message: str, at=None, said: dict | None = None) -> None:
    """``message``: the error in words (English, for the record and the API); ``said``: the same
    as what to say (lib/stored_text.py), which the pages render in their reader's language."""
    at = at or timezone.now()
    if not message:
        said = said or stored(gettext_noop("unknown error"))
        message = english(said)
    message = message[:1000]
    said = said or {}
    Connector.objects.filter(pk=connector.pk).update(
        last_error=message, last_error_at=at, last_error_said=said
    )
    connector.last_error, connector.last_error_at, connector.last_error_said = message, at, said


def figures(connectors, *, now=None, day_start=None) -> dict[int, dict]:
    """{connector id: {today, week, failed_week, last_lead_at}} in one query. ``day_start``: the
    start of today in the organisation's zone (UTC midnight when not given)."""
    now = now or timezone.now()
    day_start = day_start or now.replace(hour=0, minute=0, second=0, microsecond=0)
    week_start = now - dt.timedelta(days=7)
    made = Q(status__in=[PayloadStatus.DONE, PayloadStatus.DUPLICATE])
    rows = (
        Payload.objects.filter(connector__in=connectors, received_at__gte=min(week_start, day_start))
        .values("connector_id")
        .annotate(
            today=Count("pk", filter=Q(received_at__gte=day_start)),
            week=Count("pk", filter=Q(received_at__gte=week_start)),
            failed_week=Count("pk", filter=Q(received_at__gte=week_start, status=PayloadStatus.FAILED)),
            leads_week=Count("pk", filter=Q(received_at__gte=week_start) & made),
        )
    )
    out = {c.pk: {"today": 0, "week": 0, "failed_week": 0, "leads_week": 0} for c in connectors}
    for row in rows:
        out[row.pop("connector_id")] = row
    return out
