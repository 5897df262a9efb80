"""PostgreSQL only: one expression index per custom field key, ``(custom_fields -> 'key')``,
shared by every organisation that uses the key.

Not for its own lookups — the list's filters are answered fastest by walking the list's sort
index and testing each row (bench/bench_fields.py) — but for the statistics ANALYZE keeps on an
indexed expression. Without them the planner guesses 1 row in 200 for any JSON condition, takes
"BHK = 2 and budget 40–60 lakh" for 10 rows of a million and reads the whole table to sort
them (1 s at a million leads); with them it knows the 1 in 50 and walks the sort index (ms).
SQLite walks the sort index without being told."""

import re

from django.db import connection

_KEY = re.compile(r"[a-z][a-z0-9_]{0,39}")


def index_name(key: str) -> str:
    return f"lead_cf_{key}"


def ensure_index(key: str) -> bool:
    """Create the key's index (CONCURRENTLY: leads stay writable) and refresh the statistics.
    Outside any transaction. True if it was made now."""
    if connection.vendor != "postgresql":
        return False
    if not _KEY.fullmatch(key):  # keys are checked when made; the SQL below names this one
        raise ValueError(key)
    with connection.cursor() as cur:
        cur.execute("SELECT 1 FROM pg_indexes WHERE indexname = %s", [index_name(key)])
        if cur.fetchone():
            return False
        # CONCURRENTLY cannot run inside a transaction (a test's, a caller's atomic block).
        how = "" if connection.in_atomic_block else "CONCURRENTLY "
        cur.execute(
            f"CREATE INDEX {how}IF NOT EXISTS {index_name(key)} "  # noqa: S608  (a checked key)
            f"ON leads_lead ((custom_fields -> '{key}'))"
        )
        cur.execute("ANALYZE leads_lead")
    return True
