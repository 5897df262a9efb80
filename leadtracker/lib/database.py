"""Is the database there? One question for the health check and for `leadtracker serve`."""

import os

from django.db import DatabaseError, connections


def describe(alias: str = "default") -> str:
    """The database in words an operator recognises, without its password."""
    conf = connections[alias].settings_dict
    engine = conf["ENGINE"].rsplit(".", 1)[-1]
    if engine == "sqlite3":
        return f"SQLite {conf['NAME']}"
    host = conf.get("HOST") or "localhost"
    port = f":{conf['PORT']}" if conf.get("PORT") else ""
    user = f"{conf['USER']}@" if conf.get("USER") else ""
    kind = {"postgresql": "PostgreSQL", "mysql": "MySQL"}.get(engine, engine)
    return f"{kind} {user}{host}{port}/{conf.get('NAME') or ''}"


def one_line(error: BaseException) -> str:
    # Drivers explain over several lines (psycopg adds "Is the server running…?"): keep them
    # on one, so that a log line or a refusal to start stays one line.
    return " ".join(part.strip() for part in str(error).splitlines() if part.strip()) or type(error).__name__


def unreachable(alias: str = "default") -> DatabaseError | None:
    """The error that connecting and asking the database for nothing raised; None when it answers."""
    conf = connections[alias].settings_dict
    if conf["ENGINE"].endswith("sqlite3") and not os.path.exists(conf["NAME"]):
        # A kept connection (DB_CONN_MAX_AGE) goes on using a file that was moved or deleted:
        # close it, so the question is asked of the file where the settings say it is.
        connections[alias].close()
    try:
        with connections[alias].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as error:
        return error
    return None


def connection_limit(alias: str = "default") -> int | None:
    """How many clients PostgreSQL lets in besides its superusers; None for SQLite (no server)."""
    if connections[alias].vendor != "postgresql":
        return None
    with connections[alias].cursor() as cursor:
        cursor.execute(
            "SELECT current_setting('max_connections')::int "
            "- current_setting('superuser_reserved_connections')::int"
        )
        return cursor.fetchone()[0]
