"""The few statements every request runs are prepared once per connection on PostgreSQL
(lib/rows.cursor): the API token's look-up, the session, the person's memberships, a lead's
numbers and tags. Same rows, same statement counts; on SQLite nothing changes."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from leadtracker.lib import rows


def prepared() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        return [row[0] for row in cursor.fetchall()]


def test_a_statement_is_prepared_once_and_answers_as_the_plain_cursor(db):
    sql = "SELECT CAST(%s AS TEXT) || 'x', %s + 1, %s IS TRUE"
    with connection.cursor() as cursor:
        cursor.execute(sql, ["a", 1, True])
        plain = cursor.fetchone()
    with rows.cursor(connection) as cursor:
        cursor.execute(sql, ["a", 1, True])
        first = cursor.fetchone()
    with rows.cursor(connection) as cursor:
        cursor.execute(sql, ["b", 2, False])
        second = cursor.fetchone()
    assert first == plain == ("ax", 2, True)
    assert second == ("bx", 3, False)
    if connection.vendor == "postgresql":
        assert sum("|| 'x'" in s for s in prepared()) == 1


def test_off_by_setting(db, settings):
    settings.DB_PREPARED_READS = False
    with rows.cursor(connection) as cursor:
        cursor.execute("SELECT %s + 41", [1])
        assert cursor.fetchone() == (42,)
    if connection.vendor == "postgresql":
        assert not any("+ 41" in s for s in prepared())


def test_an_api_request_counts_its_statements_and_prepares_its_token_read(acme, new_lead, api_as):
    lead = new_lead(acme, name="Raj", phones=["98765 43210"], by=acme.olga, tags=["hot"])
    client = api_as(acme.olga)
    assert client.get(f"/api/v1/leads/{lead.pk}").status_code == 200
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(f"/api/v1/leads/{lead.pk}")
    assert response.json()["phones"] == ["+919876543210"] and response.json()["tags"] == ["hot"]
    sql = [q["sql"] for q in ctx.captured_queries]
    assert any('JOIN "accounts_membership" m' in s for s in sql), sql  # the token's, counted
    if connection.vendor == "postgresql":
        statements = prepared()
        assert any('JOIN "accounts_membership" m' in s for s in statements)
        assert any('"leads_leadphone" p' in s for s in statements)
