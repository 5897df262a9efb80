"""Plain multi-row INSERTs for bulk ingest, where building a model object per row costs more
than the insert itself (imports, call sync). Values must already be database-ready."""

import contextlib
import datetime as dt
import functools
import json
import sqlite3
from itertools import chain

from django.db import connection, models
from django.db.models.expressions import RawSQL

# Rows per statement on SQLite: as many as its bound parameters allow (32,766 since 3.32), so
# an import's batch (2,500 leads since 7fe95dc) takes one statement per table for the narrow
# tables and two for the leads' (~20 columns a row).
FALLBACK_MAX_PARAMS = 999


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


@functools.lru_cache(maxsize=64)
def _sql(table, columns: tuple, rows_in_statement: int, suffix: str, placeholder: str) -> str:
    # Built once per shape: a batch's statement text is the same from batch to batch.
    quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
    row = "(" + ", ".join([placeholder] * len(columns)) + ")"
    values = ", ".join([row] * rows_in_statement)
    return f"INSERT INTO {connection.ops.quote_name(table)} ({quoted}) VALUES {values}{suffix}"  # noqa: S608 — names from models


def _rows_per_statement(columns) -> int:
    try:
        limit = connection.connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
    except AttributeError:  # Python before 3.11 cannot ask
        limit = FALLBACK_MAX_PARAMS
    return max(1, limit // len(columns))


@contextlib.contextmanager
def _statement_cursor():
    """The database's own cursor, with Django's error mapping, so a unique violation is an
    IntegrityError as usual. Not Django's debug cursor: under DEBUG it re-quotes every
    parameter of a 500-row statement through extra SQLite queries and keeps the whole text in
    connection.queries, which made a 100,000-row import 36% slower and 44 MB bigger in
    development than in production. A bulk statement's text (a batch of values) is not
    something anyone reads in a query log."""
    with connection.cursor() as cursor, connection.wrap_database_errors:
        yield cursor.cursor


def _execute(cursor, sql: str, params) -> None:
    """Through the connection's execute wrappers (what counts statements in a test), and on
    SQLite straight to the driver with its own ? placeholders: Django's wrapper would rewrite
    the %s of every statement's text (20,000 of them in a batch) with a regular expression."""
    if connection.vendor == "sqlite":

        def run(sql, params, many, context):
            return sqlite3.Cursor.execute(cursor, sql, params)

    else:

        def run(sql, params, many, context):
            return cursor.execute(sql, params)

    for wrapper in reversed(connection.execute_wrappers):
        run = functools.partial(wrapper, run)
    return run(sql, params, False, {"connection": connection, "cursor": cursor})


def _copy(cursor, model, columns, rows) -> None:
    """PostgreSQL's COPY: no SQL text to parse per row, the fastest way in."""
    table = connection.ops.quote_name(model._meta.db_table)
    quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
    sql = f"COPY {table} ({quoted}) FROM STDIN"

    def run(sql, params, many, context):
        with cursor.copy(sql) as copy:
            for row in rows:
                copy.write_row(row)

    for wrapper in reversed(connection.execute_wrappers):
        run = functools.partial(wrapper, run)
    run(sql, None, False, {"connection": connection, "cursor": cursor})


def _sqlite_inserts(cursor, model, columns, rows, suffix=""):
    """Multi-row INSERTs of as many rows as a statement takes; yields after each one."""
    size = _rows_per_statement(columns)
    table = model._meta.db_table
    for start in range(0, len(rows), size):
        chunk = rows[start : start + size]
        _execute(cursor, _sql(table, tuple(columns), len(chunk), suffix, "?"), _params(model, columns, chunk))
        yield


def insert_rows(model, columns: list[str], rows: list[tuple], *, ignore_conflicts: bool = False) -> None:
    if not rows:
        return
    if connection.vendor == "postgresql" and not ignore_conflicts:
        with _statement_cursor() as cursor:
            _copy(cursor, model, columns, rows)
        return
    suffix = " ON CONFLICT DO NOTHING" if ignore_conflicts else ""
    with _statement_cursor() as cursor:
        if connection.vendor == "sqlite":
            for _ in _sqlite_inserts(cursor, model, columns, rows, suffix):
                pass
            return
        # PostgreSQL with ON CONFLICT: 65,535 parameters a statement at most.
        size = max(1, 65_535 // len(columns))
        for start in range(0, len(rows), size):
            chunk = rows[start : start + size]
            sql = _sql(model._meta.db_table, tuple(columns), len(chunk), suffix, "%s")
            _execute(cursor, sql, _params(model, columns, chunk))


def insert_returning_ids(model, columns: list[str], rows: list[tuple]) -> list[int]:
    """Insert and return the new primary keys in the order of ``rows`` (both databases
    return RETURNING rows in insertion order for a multi-row VALUES, as Django relies on too)."""
    ids = []
    if connection.vendor == "postgresql":
        # Take the ids from the table's sequence first, then COPY the rows with them. The
        # sequence is named in a sub-select, which PostgreSQL runs once: as a plain argument
        # it was looked up for every id (backend CPU for 100 batches of 1,000: 0.37-0.51 s
        # against 0.12-0.14 s).
        with _statement_cursor() as cursor:
            _execute(
                cursor,
                "SELECT nextval((SELECT pg_get_serial_sequence(%s, 'id'))::regclass)"
                " FROM generate_series(1, %s)",
                [model._meta.db_table, len(rows)],
            )
            ids = [r[0] for r in cursor.fetchall()]
            _copy(cursor, model, ["id", *columns], [(pk, *row) for pk, row in zip(ids, rows, strict=True)])
        return ids
    with _statement_cursor() as cursor:
        for _ in _sqlite_inserts(cursor, model, columns, rows, " RETURNING id"):
            ids += [r[0] for r in cursor.fetchall()]
    return ids


def one_of(values) -> RawSQL:
    """For ``field__in=one_of(values)`` with a batch's thousand numbers or e-mails: one
    parameter (a JSON array on SQLite, an array on PostgreSQL) instead of one each, which
    Django prepares value by value (~2 µs each) and SQLite's debug log re-quotes. The plan is
    the same: each value is looked up in the column's index."""
    values = [str(v) for v in values]
    if connection.vendor == "postgresql":
        return RawSQL("SELECT unnest(%s::text[])", (text_array(values),))
    return RawSQL("SELECT value FROM json_each(%s)", (json.dumps(values),))


def text_array(values) -> str:
    """PostgreSQL: values as one text[] literal, for ``%s::text[]``, cast by the server:
    psycopg's array dumper is Python, ~2 ms for a thousand values."""
    values = [str(v) for v in values]
    text = '","'.join(values)
    if '"' in text or "\\" in text:  # rare: quote them
        text = '","'.join(v.replace("\\", "\\\\").replace('"', '\\"') for v in values)
    return '{"' + text + '"}' if values else "{}"
