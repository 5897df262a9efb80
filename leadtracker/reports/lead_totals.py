"""The leads page's count of matching leads from LeadCount (leads/kept_counts.py asks; reports
answers, as leads may not import reports): one statement over an organisation's owner × status
rows instead of up to 10,001 leads. Written by hand: it runs on every visit of the page."""

import functools

from django.db import connection

from leadtracker.reports.models import LeadCount


@functools.cache
def _sql(by_owner: bool, by_status: bool) -> str:
    table = connection.ops.quote_name(LeadCount._meta.db_table)
    return (
        f"SELECT COALESCE(SUM(n), 0) FROM {table} WHERE organisation_id = %s"  # noqa: S608 - a model's table, values bound
        + (" AND owner_id = %s" if by_owner else "")
        + (" AND status_id = %s" if by_status else "")
    )


def leads_total(org_id: int, owner: int | None, status: int | None) -> int:
    """How many leads the organisation has (of ``owner``, in ``status``, when given)."""
    if not all(-(2**63) <= v < 2**63 for v in (owner, status) if v is not None):
        return 0  # no lead has such an id
    params = [org_id, *(v for v in (owner, status) if v is not None)]
    with connection.cursor() as cursor:
        cursor.execute(_sql(owner is not None, status is not None), params)
        return int(cursor.fetchone()[0])
