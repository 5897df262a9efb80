"""Looking a lead up by e-mail uses the (organisation, email) index on both databases. The
unique index is partial (an empty e-mail is not unique), and SQLite uses a partial index only
when the query repeats its condition: without it, every lookup scanned the organisation's
leads (68 ms a lookup at 100,000 leads, two thirds of a 100,000-row import's database time)."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from leadtracker.leads.actions.leads import find_duplicate
from leadtracker.leads.models import Lead


def plan_of(sql: str, params) -> str:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # A test table is tiny, so PostgreSQL would scan it anyway: ask whether the index
            # can serve the query at all.
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("SET LOCAL enable_bitmapscan = off")
            cursor.execute("EXPLAIN " + sql, params)
        else:
            cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
        return " ".join(str(row[-1]) for row in cursor.fetchall())


def test_the_duplicate_lookup_by_email_searches_the_index(acme):
    with CaptureQueriesContext(connection) as queries:
        find_duplicate(acme.org.pk, [], "someone@example.in")
    (sql,) = [q["sql"] for q in queries.captured_queries]
    assert "NOT (" in sql and """"email" = ''""" in sql  # the index's own condition, repeated
    assert "lead_unique_email" in plan_of(sql.replace("%", "%%"), None)


def test_the_import_lookup_by_email_searches_the_index(acme):
    qs = (
        Lead.objects.filter(organisation=acme.org, email__in=["a@example.in", "b@example.in"])
        .exclude(email="")
        .values_list("email", "pk")
    )
    assert "lead_unique_email" in plan_of(*qs.query.sql_with_params())
