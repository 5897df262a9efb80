"""A custom field's key gets its expression index on PostgreSQL (the planner's statistics for
the list's custom filters: fields/indexes.py), once; SQLite needs none."""

from django.db import connection

from leadtracker.leads.fields.indexes import ensure_index, index_name


def test_the_key_is_indexed_once_on_postgresql(db):
    made = ensure_index("bhk")
    if connection.vendor != "postgresql":
        assert made is False
        return
    with connection.cursor() as cur:
        cur.execute("SELECT indexdef FROM pg_indexes WHERE indexname = %s", [index_name("bhk")])
        assert "custom_fields -> 'bhk'" in cur.fetchone()[0]
    assert ensure_index("bhk") is False  # already there
