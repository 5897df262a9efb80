"""Plain multi-row INSERTs for bulk ingest, where building a model object per row costs more
than the insert itself (imports, call sync). Values must already be database-ready."""

import json

from django.db import connection

# Rows per statement: within SQLite's 32,766 bound parameters for tables of up to ~60 columns.
CHUNK = 500


def json_param(value):
    """A value for a JSON column in a raw statement."""
    if connection.vendor == "postgresql":
        from psycopg.types.json import Jsonb

        return Jsonb(value)
    return json.dumps(value, ensure_ascii=False)


def _sql(model, columns, rows_in_statement, suffix=""):
    table = connection.ops.quote_name(model._meta.db_table)
    quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
    row = "(" + ", ".join(["%s"] * len(columns)) + ")"
    return f"INSERT INTO {table} ({quoted}) VALUES {', '.join([row] * rows_in_statement)}{suffix}"


def insert_rows(model, columns: list[str], rows: list[tuple], *, ignore_conflicts: bool = False) -> None:
    if not rows:
        return
    suffix = " ON CONFLICT DO NOTHING" if ignore_conflicts else ""
    with connection.cursor() as cursor:
        for start in range(0, len(rows), CHUNK):
            chunk = rows[start : start + CHUNK]
            cursor.execute(_sql(model, columns, len(chunk), suffix), [v for row in chunk for v in row])


def insert_returning_ids(model, columns: list[str], rows: list[tuple]) -> list[int]:
    """Insert and return the new primary keys in the order of ``rows`` (both databases
    return RETURNING rows in insertion order for a multi-row VALUES, as Django relies on too)."""
    ids = []
    with connection.cursor() as cursor:
        for start in range(0, len(rows), CHUNK):
            chunk = rows[start : start + CHUNK]
            cursor.execute(
                _sql(model, columns, len(chunk), " RETURNING id"), [v for row in chunk for v in row]
            )
            ids += [r[0] for r in cursor.fetchall()]
    return ids
