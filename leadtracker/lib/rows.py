"""Whole rows of models read by a hand-written statement, for the few reads every request makes
(the API token with its membership, the signed-in person's memberships, the session).

Why not the ORM there: building and compiling a queryset costs more CPU than running it — a
third of a small API request went to `as_sql` (docs/performance.md, issue 21). These statements
never change, so their SQL is written once, and each request only runs it and makes the objects.
What the ORM would do after the read is kept: each value goes through the converters Django
itself applies to that column on this database (SQLite's datetimes, booleans, JSON), and each
object is made by `Model.from_db`, so it saves and compares as one the ORM read.
"""

import functools

import psycopg
from django.conf import settings
from django.db import connections

# psycopg prepares a statement automatically after this many runs; Django turns that off (None),
# and a connection needs a number for `prepare=True` to be honoured. Django's own cursors bind
# on the client and are never prepared whatever the number, so only cursor()'s statements are.
_ONLY_WHEN_ASKED = 2**31 - 1


class _Prepared(psycopg.Cursor):
    """Binds its values on the server and prepares each statement on its first run in a
    connection (psycopg keeps up to 100 a connection, by text and types)."""

    def execute(self, query, params=None, *, prepare=None, binary=None):
        return super().execute(query, params, prepare=True, binary=binary)

    def _convert_query(self, query, params=None):
        # psycopg remembers the statement as sent (`_query`, which Django's query log shows:
        # DEBUG, the tests' statement counts) only when it does not prepare it.
        self._query = super()._convert_query(query, params)
        return self._query


def cursor(connection):
    """A cursor for these few statements that every request runs: on PostgreSQL each is parsed
    and planned once per kept connection, not on every request (its plan was 0.1–0.35 ms of the
    server's CPU against 0.02–0.05 ms of running it, the token's four-table join the most; issue
    21). Only these: their values pick no plan (a token's hash, a session's key, a person's id,
    lead ids), where a plan made once for any value went wrong on the sync's skewed reads
    (docs/decisions.md, 2026-12-07). Used like ``connection.cursor()`` and counted as its
    statements are (Django's wrapper around it). DB_PREPARED_READS=False sends them as text
    again, for a pooler that cannot keep prepared statements (PgBouncer in transaction mode
    before 1.21)."""
    wrapped = connection.cursor()
    if connection.vendor != "postgresql" or not settings.DB_PREPARED_READS:
        return wrapped
    raw = connection.connection
    if raw.prepare_threshold is None:
        raw.prepare_threshold = _ONLY_WHEN_ASKED
    wrapped.cursor.close()
    wrapped.cursor = _Prepared(raw)
    return wrapped


def select_list(model, alias: str, connection) -> str:
    """The model's columns, qualified by ``alias``, in the order ``build`` reads them."""
    quote = connection.ops.quote_name
    return ", ".join(f"{alias}.{quote(f.column)}" for f in model._meta.concrete_fields)


@functools.cache
def _reader(model, alias: str):
    """Per model and database: the attribute names and each column's converters."""
    connection = connections[alias]
    names, converters = [], []
    for field in model._meta.concrete_fields:
        col = field.get_col(model._meta.db_table)
        names.append(field.attname)
        found = connection.ops.get_db_converters(col) + col.get_db_converters(connection)
        converters.append((col, found))
    return names, converters


def build(model, row, start: int, alias: str = "default"):
    """The instance of ``model`` made from ``row[start:]`` (its columns as select_list gave them),
    and the index after its columns."""
    names, converters = _reader(model, alias)
    connection = connections[alias]
    values = []
    for value, (col, found) in zip(row[start : start + len(names)], converters, strict=True):
        for convert in found:
            value = convert(value, col, connection)
        values.append(value)
    return model.from_db(alias, names, values), start + len(names)
