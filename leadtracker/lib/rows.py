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

from django.db import connections


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
