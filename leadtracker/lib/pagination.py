"""Keyset pagination: pages stay fast at any depth because no OFFSET is ever used."""

import base64
import datetime as dt
import json

from django.core.exceptions import FieldDoesNotExist
from django.db.models import F, Q, QuerySet
from django.utils.translation import gettext as _

from leadtracker.lib.errors import ActionError

MAX_LIMIT = 500


def keyset_page(qs: QuerySet, *, cursor: int | None, limit: int, descending: bool = False):
    """One page of ``qs`` ordered by primary key, and the cursor of the next page (or None)."""
    limit = max(1, min(limit, MAX_LIMIT))
    if descending:
        qs = qs.order_by("-pk")
        if cursor is not None:
            qs = qs.filter(pk__lt=cursor)
    else:
        qs = qs.order_by("pk")
        if cursor is not None:
            qs = qs.filter(pk__gt=cursor)
    rows = list(qs[: limit + 1])
    next_cursor = rows[limit - 1].pk if len(rows) > limit else None
    return rows[:limit], next_cursor


def encode_cursor(values) -> str:
    return base64.urlsafe_b64encode(json.dumps(values, default=str).encode()).decode().rstrip("=")


def decode_cursor(token: str):
    try:
        padded = token + "=" * (-len(token) % 4)
        return json.loads(base64.urlsafe_b64decode(padded.encode()))
    except (ValueError, TypeError):
        return None


def keyset_sorted(
    qs: QuerySet, *, field: str, descending: bool, cursor: str | None, limit: int, parse=lambda v: v
):
    """A page of ``qs`` ordered by ``field`` (nulls last) then id, continuing after an opaque
    cursor. No OFFSET: the database seeks straight to the page through the index."""
    limit = max(1, min(limit, MAX_LIMIT))
    nulls_last = True if may_be_null(qs.model, field) else None
    order = F(field).desc(nulls_last=nulls_last) if descending else F(field).asc(nulls_last=nulls_last)
    id_order = "-pk" if descending else "pk"
    qs = qs.order_by(order, id_order)
    after = read_cursor(cursor, parse)
    if after is not None:
        value, last_id = after
        beyond = "lt" if descending else "gt"
        if value is None:
            qs = qs.filter(**{f"{field}__isnull": True, f"pk__{beyond}": last_id})
        else:
            qs = qs.filter(
                Q(**{f"{field}__{beyond}": value})
                | Q(**{field: value, f"pk__{beyond}": last_id})
                | Q(**{f"{field}__isnull": True})
            )
    return page_of(list(qs[: limit + 1]), field, limit)


def may_be_null(model, field: str) -> bool:
    """Whether ``field`` of ``model`` can be NULL (an annotation, not a column: it can). A column
    that cannot is ordered without NULLS LAST: the same rows, and PostgreSQL can read a
    descending page from its index only when the order is the index's (DESC is NULLS FIRST
    there). With NULLS LAST, the list newest first sorted every lead of the organisation: 147 ms
    against 0.3 at 200,000 leads (issue 21)."""
    try:
        return model._meta.get_field(field).null
    except FieldDoesNotExist:
        return True


def read_cursor(cursor: str | None, parse=lambda v: v):
    """(the sort value, the last id) a cursor of keyset_sorted continues after, or None (no
    cursor, or one that is not a pair: the first page). A pair that is not ours: ActionError."""
    after = decode_cursor(cursor) if cursor else None
    if not (after and isinstance(after, list) and len(after) == 2):
        return None
    value, last_id = after
    try:
        last_id = int(last_id)
        value = None if value is None else parse(value)
        if isinstance(value, dt.datetime) and value.tzinfo is not None:
            # The database compares in UTC; a time UTC cannot hold (year 9999 at a western
            # offset) is no cursor a list gave out, and would fail the query (SQLite).
            value = value.astimezone(dt.UTC)
    except (TypeError, ValueError, OverflowError):
        raise ActionError(_("not a cursor this list gave out"), field="cursor") from None
    return value, last_id


def page_of(rows: list, field: str, limit: int):
    """The page (``limit`` of up to ``limit + 1`` rows read) and the cursor of the next one."""
    next_cursor = None
    if len(rows) > limit:
        last = rows[limit - 1]
        if isinstance(last, dict):  # a .values() query: rows are dicts
            next_cursor = encode_cursor([last[field], last["id"]])
        else:
            next_cursor = encode_cursor([getattr(last, field), last.pk])
    return rows[:limit], next_cursor
