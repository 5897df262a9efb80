"""Give each benchmark run a fresh, migrated database of its own."""

import os

import django


def fresh_database():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "leadtracker.settings")
    url = os.environ["DATABASE_URL"]
    if url.startswith("sqlite:///"):
        path = url[len("sqlite:///") :]
        for suffix in ("", "-wal", "-shm"):
            if os.path.exists(path + suffix):
                os.remove(path + suffix)
    else:
        import psycopg

        base, name = url.rsplit("/", 1)
        with psycopg.connect(base + "/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{name}"')
    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def bulk_insert(cur, table: str, cols, rows) -> None:
    """Rows into a table the fastest plain way each database has: COPY on PostgreSQL, one
    executemany of an INSERT on SQLite."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with cur.copy(f"COPY {table} ({', '.join(cols)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
    else:
        marks = ", ".join(["%s"] * len(cols))
        cur.executemany(f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({marks})", rows)  # noqa: S608


def migrated_database():
    """The database DATABASE_URL names, as it is, brought up to the latest migrations."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "leadtracker.settings")
    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
