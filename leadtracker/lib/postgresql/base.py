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

import contextlib
import select

from django.db import DatabaseError
from django.db.backends.postgresql import base
from psycopg import errors, generators, pq


class DatabaseWrapper(base.DatabaseWrapper):
    # The answer still to read of a statement sent by send_unawaited, if any.
    _unawaited = None

    def send_unawaited(self, cursor, sql: str, params) -> bool:
        """Send a statement that is a transaction of its own (autocommit, outside any atomic
        block) and return without waiting for its answer; False, with nothing sent, when the
        connection is not in that state. Its answer is read by ``settle()`` — and before
        anything else uses the connection (a cursor, a commit, closing it), so a statement
        never meets one still in flight. ``cursor`` is this connection's cursor (counted and
        logged as its statements are)."""
        raw = self.connection
        if (
            self.in_atomic_block
            or not self.get_autocommit()
            or self._unawaited is not None
            or raw.info.transaction_status != pq.TransactionStatus.IDLE
        ):
            return False

        def send(sql, params, *_ignored):
            self.validate_no_broken_transaction()
            with self.wrap_database_errors:
                text = cursor.cursor.mogrify(sql, params)
                raw.pgconn.send_query(text.encode(raw.info.encoding))
                self._unawaited = raw
                raw.wait(generators.send(raw.pgconn))

        cursor._execute = send  # the wrapper's execute: its execute wrappers and query log, then this
        try:
            cursor.execute(sql, params)
        finally:
            del cursor._execute
        return True

    def settle(self) -> None:
        """Read the answer of the statement send_unawaited sent, raising its error if it failed."""
        raw, self._unawaited = self._unawaited, None
        if raw is None:
            return
        with self.wrap_database_errors:
            for result in raw.wait(generators.fetch_many(raw.pgconn)):
                if result.status == pq.ExecStatus.FATAL_ERROR:
                    raise errors.error_from_result(result, encoding=raw.info.encoding)

    def _cursor(self, name=None):
        self.settle()
        return super()._cursor(name)

    def _commit(self):
        self.settle()
        return super()._commit()

    def _rollback(self):
        self.settle()
        return super()._rollback()

    def _set_autocommit(self, autocommit):
        self.settle()
        return super()._set_autocommit(autocommit)

    def _close(self):
        try:
            self.settle()
        finally:
            super()._close()

    def is_usable(self):
        with contextlib.suppress(DatabaseError):  # a failed answer: the connection is asked below
            self.settle()
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
