"""Plain multi-row INSERTs for bulk ingest, where building a model object per row costs more
than the insert itself (imports, call sync). Values must already be database-ready."""

import contextlib
import datetime as dt
import json
from itertools import chain

from django.db import connection, models
from django.db.models.expressions import RawSQL

# Rows per statement: within SQLite's 32,766 bound parameters for tables of up to ~60 columns.
CHUNK = 500


def json_param(value):
    """A value for a JSON column in a raw statement."""
    if connection.vendor == "postgresql":
        # psycopg is installed only where PostgreSQL is used
        from psycopg.types.json import Jsonb

        return Jsonb(value)
    return json.dumps(value, ensure_ascii=False)


def _datetime_columns(model, columns) -> list[int]:
    return [i for i, c in enumerate(columns) if isinstance(model._meta.get_field(c), models.DateTimeField)]


def _params(model, columns, rows) -> list:
    # Datetimes go through the backend's own adapter, as the ORM would: SQLite stores them
    # as UTC text, and a raw aware value would otherwise keep its offset and sort wrongly.
    # Only the model's datetime columns are looked at, and a batch's repeated datetimes (its
    # "now") are adapted once: a 100,000-row import passes millions of values through here.
    at = _datetime_columns(model, columns)
    if not at:
        return list(chain.from_iterable(rows))
    adapt = connection.ops.adapt_datetimefield_value
    adapted: dict = {}
    out = []
    for row in rows:
        row = list(row)
        for i in at:
            v = row[i]
            if isinstance(v, dt.datetime):
                a = adapted.get(v)
                if a is None:
                    a = adapted[v] = adapt(v)
                row[i] = a
        out += row
    return out


def _sql(model, columns, rows_in_statement, suffix=""):
    table = connection.ops.quote_name(model._meta.db_table)
    quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
    row = "(" + ", ".join(["%s"] * len(columns)) + ")"
    values = ", ".join([row] * rows_in_statement)
    return f"INSERT INTO {table} ({quoted}) VALUES {values}{suffix}"  # noqa: S608 — names from models


@contextlib.contextmanager
def _statement_cursor():
    """The database's own cursor (Django's placeholders still work), with Django's error
    mapping, so a unique violation is an IntegrityError as usual. Not Django's debug cursor:
    under DEBUG it re-quotes every parameter of a 500-row statement through extra SQLite
    queries and keeps the whole text in connection.queries, which made a 100,000-row import
    36% slower and 44 MB bigger in development than in production. A bulk statement's text
    (500 rows of values) is not something anyone reads in a query log."""
    with connection.cursor() as cursor, connection.wrap_database_errors:
        yield cursor.cursor


def _copy(cursor, model, columns, rows) -> None:
    """PostgreSQL's COPY: no SQL text to parse per row, the fastest way in."""
    table = connection.ops.quote_name(model._meta.db_table)
    quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
    with cursor.copy(f"COPY {table} ({quoted}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def insert_rows(model, columns: list[str], rows: list[tuple], *, ignore_conflicts: bool = False) -> None:
    if not rows:
        return
    if connection.vendor == "postgresql" and not ignore_conflicts:
        with _statement_cursor() as cursor:
            _copy(cursor, model, columns, rows)
        return
    suffix = " ON CONFLICT DO NOTHING" if ignore_conflicts else ""
    with _statement_cursor() as cursor:
        for start in range(0, len(rows), CHUNK):
            chunk = rows[start : start + CHUNK]
            cursor.execute(_sql(model, columns, len(chunk), suffix), _params(model, columns, chunk))


def insert_returning_ids(model, columns: list[str], rows: list[tuple]) -> list[int]:
    """Insert and return the new primary keys in the order of ``rows`` (both databases
    return RETURNING rows in insertion order for a multi-row VALUES, as Django relies on too)."""
    ids = []
    if connection.vendor == "postgresql":
        # Take the ids from the table's sequence first, then COPY the rows with them.
        with _statement_cursor() as cursor:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                [model._meta.db_table, len(rows)],
            )
            ids = [r[0] for r in cursor.fetchall()]
            _copy(cursor, model, ["id", *columns], [(pk, *row) for pk, row in zip(ids, rows, strict=True)])
        return ids
    with _statement_cursor() as cursor:
        for start in range(0, len(rows), CHUNK):
            chunk = rows[start : start + CHUNK]
            cursor.execute(_sql(model, columns, len(chunk), " RETURNING id"), _params(model, columns, chunk))
            ids += [r[0] for r in cursor.fetchall()]
    return ids


def one_of(values) -> RawSQL:
    """For ``field__in=one_of(values)`` with a batch's thousand numbers or e-mails: one
    parameter (a JSON array on SQLite, an array on PostgreSQL) instead of one each, which
    Django prepares value by value (~2 µs each) and SQLite's debug log re-quotes. The plan is
    the same: each value is looked up in the column's index."""
    values = [str(v) for v in values]
    if connection.vendor == "postgresql":
        return RawSQL("SELECT unnest(%s::text[])", (values,))
    return RawSQL("SELECT value FROM json_each(%s)", (json.dumps(values),))
