"""The web's sessions: Django's database store, its read on every request written by hand.

Sessions stay in the database, shared by every worker, so signing out or a password change ends
a session everywhere at once (a cache per process would keep it alive in the others). Only the
read changes: the ORM's `get()` compiled its query on every signed-in request for one fixed
statement (lib/rows.py says why that matters); saving, creating and deleting are Django's.
"""

import functools

from django.contrib.sessions.backends import db
from django.db import connections, router
from django.utils import timezone

from leadtracker.lib import rows


@functools.cache
def _session_sql(model, alias: str) -> str:
    connection = connections[alias]
    table = connection.ops.quote_name(model._meta.db_table)
    return (
        f"SELECT {rows.select_list(model, 's', connection)} FROM {table} s "  # noqa: S608 - names from the model, values bound
        "WHERE s.session_key = %s AND s.expire_date > %s"
    )


class SessionStore(db.SessionStore):
    def _get_session_from_db(self):
        """The session's row while it has not expired, as Django's store reads it; else forget
        the key (Django's store then starts a new session)."""
        model = self.model
        alias = router.db_for_read(model)
        connection = connections[alias]
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        with rows.cursor(connection) as cursor:
            cursor.execute(_session_sql(model, alias), [self.session_key, now])
            row = cursor.fetchone()
        if row is None:
            self._session_key = None
            return None
        return rows.build(model, row, 0, alias)[0]
