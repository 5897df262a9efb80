"""Reads of the telephony lines: which one an organisation's click-to-call goes through."""

import functools

from django.db import connection

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


@functools.cache
def _button_line_sql(vendor: str, kinds: tuple[str, ...]) -> str:
    quote = connection.ops.quote_name
    placeholders = ", ".join(["%s"] * len(kinds))
    return (
        f"SELECT kind, name FROM {quote(Connector._meta.db_table)} "  # noqa: S608 - names from the model, values bound
        f"WHERE organisation_id = %s AND is_active = %s AND kind IN ({placeholders}) "
        "ORDER BY created_at, id LIMIT 1"
    )


def button_line(org_id: int) -> dict | None:
    """What the click-to-call button draws (the line's kind and name), or None: the same
    connector as line_of_org, read as one row of two columns — no join with the organisation,
    no options, no sealed secrets. The button is drawn on the lead page, every queue card and
    the outcome sheet; the tag asks this once a request (the request keeps the answer). Written
    by hand (lib/rows.py says why: its queryset cost more CPU to build than to run; issue 21)."""
    kinds = tuple(_telephony_kinds())
    if not kinds:
        return None
    with connection.cursor() as cursor:
        cursor.execute(_button_line_sql(connection.vendor, kinds), [org_id, True, *kinds])
        row = cursor.fetchone()
    return {"kind": row[0], "name": row[1]} if row else None


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
