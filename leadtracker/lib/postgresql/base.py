"""Django's PostgreSQL backend, with the connection health check answered from the socket.

Connections are kept between requests with Django's health check on (settings.py): before a
request's first query Django asks `is_usable()`, which in Django's backend is a `SELECT 1` — a
round trip to the server on every request that uses the database, for an answer that is yes
but for the rare request after PostgreSQL went away. A kept connection waits idle between
requests, so the server has nothing to say on it; when it ends the session (a restart, a fast
or immediate shutdown, `pg_terminate_backend`, `idle_session_timeout`) it sends its error and
closes the socket, and the socket turns readable. So: an idle connection whose socket has
nothing to read is usable, with no round trip; anything to read, or a connection that is not
idle, gets Django's `SELECT 1` as before, which reads it (docs/decisions.md, 2026-12-07).

What this does not see is a server gone without a word (its host lost power, the network
between cut): no end of session arrives, the request's first query fails, and Django closes the
connection at the end of that request, so the worker's next request connects afresh. Django's
`SELECT 1` would have failed on that connection too, after the same network time-out."""

import select

from django.db.backends.postgresql import base
from psycopg import pq


class DatabaseWrapper(base.DatabaseWrapper):
    def is_usable(self):
        connection = self.connection
        if connection is None or connection.closed:
            return False
        if connection.info.transaction_status != pq.TransactionStatus.IDLE:
            return super().is_usable()
        waiting = select.poll()
        waiting.register(connection.fileno(), select.POLLIN | select.POLLPRI)
        try:
            if waiting.poll(0):
                # An end of session (or a notice): let the SELECT 1 read it and say.
                return super().is_usable()
        except OSError:
            return False
        return True
