"""Reads of the telephony lines: which one an organisation's click-to-call goes through."""

from leadtracker.integrations import registry
from leadtracker.integrations.models import Connector
from leadtracker.lib.phones import InvalidPhone, normalise


def _telephony_kinds() -> list[str]:
    return [kind for kind, p in registry.providers().items() if p.category == "telephony"]


def line_of_org(org_id: int) -> Connector | None:
    """The organisation's active telephony connector (the first added, when there are several)."""
    return (
        Connector.objects.select_related("organisation")
        .filter(organisation_id=org_id, is_active=True, kind__in=_telephony_kinds())
        .order_by("created_at", "pk")
        .first()
    )


def button_line(org_id: int) -> dict | None:
    """What the click-to-call button draws (the line's kind and name), or None: the same
    connector as line_of_org, read as one row of two columns — no join with the organisation,
    no options, no sealed secrets. The button is drawn on the lead page, every queue card and
    the outcome sheet; the tag asks this once a request (the request keeps the answer)."""
    return (
        Connector.objects.filter(organisation_id=org_id, is_active=True, kind__in=_telephony_kinds())
        .order_by("created_at", "pk")
        .values("kind", "name")
        .first()
    )


def line_numbers(org) -> set[str]:
    """The caller ids (E.164) of the organisation's telephony lines, switched off ones too: a
    call through one that arrives late was still the line's. One query (``options`` holds the
    caller id in clear: nothing to unseal)."""
    found = set()
    for options in Connector.objects.filter(organisation_id=org.pk, kind__in=_telephony_kinds()).values_list(
        "options", flat=True
    ):
        try:
            found.add(normalise(str((options or {}).get("caller_id") or ""), org.phone_region))
        except InvalidPhone:
            continue
    return found
