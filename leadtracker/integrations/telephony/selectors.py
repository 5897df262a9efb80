"""Reads of the telephony lines: which one an organisation's click-to-call goes through."""

from leadtracker.integrations import registry
from leadtracker.integrations.models import Connector


def line_of_org(org_id: int) -> Connector | None:
    """The organisation's active telephony connector (the first added, when there are several)."""
    kinds = [kind for kind, p in registry.providers().items() if p.category == "telephony"]
    return (
        Connector.objects.select_related("organisation")
        .filter(organisation_id=org_id, is_active=True, kind__in=kinds)
        .order_by("created_at", "pk")
        .first()
    )
