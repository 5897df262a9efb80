"""Keyset pagination: pages stay fast at any depth because no OFFSET is ever used."""

from django.db.models import QuerySet

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
