"""The agent's state on the phone, in one SQLite file: the outbox of calls, punches waiting to
be sent, the shifts the phone knows of, and a few facts (last read, last sync, last error).

Every change is one SQLite transaction, so a process killed at any instant (Android does that)
leaves either the state before or the state after — never half. What makes "no loss, no
doubles" work with that:

- a call enters the outbox in the same transaction as nothing else it depends on, and the read
  watermark moves only in the transaction of the last rows of a complete read: killed mid-read,
  the next read covers the same window again and INSERT OR IGNORE drops what is already queued;
- a call leaves the outbox only in the transaction that records the server's answer for it:
  killed after sending but before that, it is sent again and the server (idempotent) counts a
  duplicate.
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
import time
from collections.abc import Iterable

from leadtracker_agent.calls import Call

SCHEMA_VERSION = 1
SCHEMA = """
CREATE TABLE outbox (
    device_call_id TEXT PRIMARY KEY,
    started_at INTEGER NOT NULL,          -- epoch seconds: send oldest first
    number TEXT NOT NULL,                 -- re-checked against the exclusion list before sending
    body TEXT NOT NULL,                   -- the protocol's CALL as JSON
    queued_at REAL NOT NULL,
    not_before REAL NOT NULL DEFAULT 0    -- held back after a rejection the server may lift later
);
CREATE INDEX outbox_order ON outbox (started_at, device_call_id);
-- Calls the server answered for, so the 24 h overlap does not queue them again. Pruned with
-- the shifts they belong to.
CREATE TABLE answered (
    device_call_id TEXT PRIMARY KEY,
    started_at INTEGER NOT NULL,
    answered_at REAL NOT NULL
);
CREATE INDEX answered_time ON answered (started_at);
-- Calls the server refused (a row it rejected, or a request it refused for that row alone):
-- never resent as they are, kept for `status` to show.
CREATE TABLE refused (
    device_call_id TEXT PRIMARY KEY,
    started_at INTEGER NOT NULL,
    body TEXT NOT NULL,
    error TEXT NOT NULL,
    refused_at REAL NOT NULL
);
CREATE TABLE punches (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL CHECK (kind IN ('in', 'out')),
    at REAL NOT NULL,                     -- when the person punched (sent as `at`)
    location TEXT,                        -- JSON {"lat", "lon", "accuracy_m"} or NULL
    shift_id INTEGER,                     -- the local shift a punch-in opened
    created_at REAL NOT NULL
);
-- Shifts as the phone knows them: from its own punches and from the server's open shift.
-- Only calls inside one are queued (the server enforces the same rule).
CREATE TABLE shifts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    server_id INTEGER UNIQUE,
    started_at REAL NOT NULL,
    ended_at REAL
);
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""

# How long the phone remembers shifts and answered calls. Beyond it nothing can be queued
# (no shift is known), so nothing can be sent twice either.
KEEP_DAYS = 40


class Store:
    def __init__(self, path: str):
        # isolation_level=None: we issue BEGIN/COMMIT ourselves, so every transaction is explicit.
        self.db = sqlite3.connect(path, timeout=30, isolation_level=None)
        # WAL with synchronous=NORMAL survives a killed process without losing a commit; after a
        # power cut it may lose the newest commits, never consistency — and whatever is lost is
        # read again from the call log (or sent again, which the server deduplicates).
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")
        with self.tx():
            version = self.db.execute("PRAGMA user_version").fetchone()[0]
            if version == 0:
                for statement in SCHEMA.split(";"):
                    if statement.strip():
                        self.db.execute(statement)
                self.db.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
            elif version > SCHEMA_VERSION:
                raise RuntimeError(f"{path} was written by a newer leadtracker-agent; upgrade it")

    def close(self) -> None:
        self.db.close()

    @contextlib.contextmanager
    def tx(self):
        # IMMEDIATE: take the write lock at the start, so a second agent process waits here
        # instead of failing halfway through.
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield self.db
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    # --- meta ---------------------------------------------------------------------------------

    def get(self, key: str, default=None):
        row = self.db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return json.loads(row[0]) if row else default

    def put(self, key: str, value) -> None:
        """Call inside tx()."""
        self.db.execute(
            "INSERT INTO meta (key, value) VALUES (?, ?) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (key, json.dumps(value)),
        )

    def set(self, **values) -> None:
        with self.tx():
            for key, value in values.items():
                self.put(key, value)

    # --- shifts -------------------------------------------------------------------------------

    def shifts(self) -> list[tuple[float, float | None]]:
        return self.db.execute("SELECT started_at, ended_at FROM shifts ORDER BY started_at").fetchall()

    def open_shift(self) -> tuple[int, int | None, float] | None:
        return self.db.execute(
            "SELECT id, server_id, started_at FROM shifts WHERE ended_at IS NULL "
            "ORDER BY started_at DESC LIMIT 1"
        ).fetchone()

    def record_server_shift(self, shift: dict | None, *, observed_at: float) -> None:
        """What the server says about the person's shift (a punch's answer, or GET
        /attendance/shift). Call inside tx(), and only with no punch waiting to be sent: then
        the server's view already includes all of ours."""
        if shift is None:
            # Closed elsewhere (the web app, or automatically at the day's end) at a time we do
            # not know: close it now. The calls of the gap are sent and the server drops them.
            self.db.execute("UPDATE shifts SET ended_at = ? WHERE ended_at IS NULL", (observed_at,))
            return
        server_id = int(shift["id"])
        started = parse_server_time(shift["started_at"])
        ended = parse_server_time(shift["ended_at"]) if shift.get("ended_at") else None
        row = self.db.execute("SELECT id FROM shifts WHERE server_id = ?", (server_id,)).fetchone()
        if row is None:
            row = self.db.execute(
                "SELECT id FROM shifts WHERE server_id IS NULL "
                "AND (ended_at IS NULL OR abs(started_at - ?) < 1) "
                "ORDER BY started_at DESC LIMIT 1",
                (started,),
            ).fetchone()
        if row is None:
            if ended is None:
                # Only one shift is open at a time: any other one we think open has ended.
                self.db.execute("UPDATE shifts SET ended_at = ? WHERE ended_at IS NULL", (max(started, 0),))
            self.db.execute(
                "INSERT INTO shifts (server_id, started_at, ended_at) VALUES (?, ?, ?)",
                (server_id, started, ended),
            )
        else:
            self.db.execute(
                "UPDATE shifts SET server_id = ?, started_at = ?, ended_at = ? WHERE id = ?",
                (server_id, started, ended, row[0]),
            )

    # --- punches ------------------------------------------------------------------------------

    def add_punch(self, kind: str, at: float, location: dict | None) -> int:
        """Record a punch and what it means for the phone's own view of the shift, at once."""
        with self.tx():
            shift_id = None
            current = self.open_shift()
            if kind == "in":
                if current is None:
                    shift_id = self.db.execute("INSERT INTO shifts (started_at) VALUES (?)", (at,)).lastrowid
                else:
                    shift_id = current[0]
            elif current is not None:
                self.db.execute(
                    "UPDATE shifts SET ended_at = ? WHERE id = ?", (max(at, current[2]), current[0])
                )
            return self.db.execute(
                "INSERT INTO punches (kind, at, location, shift_id, created_at) VALUES (?, ?, ?, ?, ?)",
                (kind, at, json.dumps(location) if location else None, shift_id, time.time()),
            ).lastrowid

    def pending_punches(self) -> list[tuple[int, str, float, dict | None, int | None]]:
        rows = self.db.execute("SELECT id, kind, at, location, shift_id FROM punches ORDER BY id").fetchall()
        return [(i, k, at, json.loads(loc) if loc else None, s) for i, k, at, loc, s in rows]

    def punch_done(self, punch_id: int, shift: dict | None, *, observed_at: float) -> None:
        with self.tx():
            self.db.execute("DELETE FROM punches WHERE id = ?", (punch_id,))
            if shift is not None:
                self.record_server_shift(shift, observed_at=observed_at)

    def punch_refused(self, punch_id: int, kind: str, shift_id: int | None) -> None:
        """The server refused a punch (4xx): it is not sent again. A refused punch-in opened no
        shift on the server, so the phone's shift it opened goes too (unless the server later
        says a shift is open)."""
        with self.tx():
            self.db.execute("DELETE FROM punches WHERE id = ?", (punch_id,))
            if kind == "in" and shift_id is not None:
                self.db.execute("DELETE FROM shifts WHERE id = ? AND server_id IS NULL", (shift_id,))

    # --- outbox -------------------------------------------------------------------------------

    def enqueue(self, calls: Iterable[Call], *, meta: dict | None = None) -> int:
        """Queue calls not queued nor answered before; one transaction, with ``meta`` written in
        it (the read watermark goes with the last rows of a read). Returns how many were new."""
        now = time.time()
        new = 0
        with self.tx():
            for call in calls:
                cur = self.db.execute(
                    "INSERT OR IGNORE INTO outbox (device_call_id, started_at, number, body, queued_at) "
                    "SELECT ?, ?, ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM answered WHERE device_call_id = ?) "
                    "AND NOT EXISTS (SELECT 1 FROM refused WHERE device_call_id = ?)",
                    (
                        call.device_call_id,
                        call.epoch,
                        call.number,
                        call.to_json(),
                        now,
                        call.device_call_id,
                        call.device_call_id,
                    ),
                )
                new += cur.rowcount
            for key, value in (meta or {}).items():
                self.put(key, value)
        return new

    def next_batch(self, limit: int, *, now: float) -> list[tuple[str, int, str, str]]:
        return self.db.execute(
            "SELECT device_call_id, started_at, number, body FROM outbox WHERE not_before <= ? "
            "ORDER BY started_at, device_call_id LIMIT ?",
            (now, limit),
        ).fetchall()

    def drop_excluded(self, ids: list[str]) -> None:
        with self.tx():
            self.db.executemany("DELETE FROM outbox WHERE device_call_id = ?", [(i,) for i in ids])

    def answer(
        self,
        batch: list[tuple[str, int, str, str]],
        *,
        refused: dict[int, str],
        held: dict[int, float],
        meta: dict | None = None,
    ) -> None:
        """The server answered for ``batch``: remove it from the outbox in one transaction.
        ``refused`` (index → error) are kept aside; ``held`` (index → not before) stay queued."""
        now = time.time()
        with self.tx():
            for index, (call_id, started_at, _number, body) in enumerate(batch):
                if index in held:
                    self.db.execute(
                        "UPDATE outbox SET not_before = ? WHERE device_call_id = ?", (held[index], call_id)
                    )
                    continue
                self.db.execute("DELETE FROM outbox WHERE device_call_id = ?", (call_id,))
                if index in refused:
                    self.db.execute(
                        "INSERT OR REPLACE INTO refused "
                        "(device_call_id, started_at, body, error, refused_at) VALUES (?, ?, ?, ?, ?)",
                        (call_id, started_at, body, refused[index], now),
                    )
                else:
                    self.db.execute(
                        "INSERT OR REPLACE INTO answered (device_call_id, started_at, answered_at) "
                        "VALUES (?, ?, ?)",
                        (call_id, started_at, now),
                    )
            for key, value in (meta or {}).items():
                self.put(key, value)

    def refuse(self, row: tuple[str, int, str, str], error: str) -> None:
        self.answer([row], refused={0: error}, held={})

    def counts(self) -> dict[str, int]:
        one = self.db.execute
        return {
            "outbox": one("SELECT count(*) FROM outbox").fetchone()[0],
            "punches": one("SELECT count(*) FROM punches").fetchone()[0],
            "refused": one("SELECT count(*) FROM refused").fetchone()[0],
        }

    def refused_rows(self, limit: int = 20) -> list[tuple[str, str, str]]:
        return self.db.execute(
            "SELECT device_call_id, body, error FROM refused ORDER BY refused_at DESC LIMIT ?", (limit,)
        ).fetchall()

    def prune(self, now: float) -> None:
        cutoff = now - KEEP_DAYS * 86400
        with self.tx():
            self.db.execute("DELETE FROM shifts WHERE ended_at IS NOT NULL AND ended_at < ?", (cutoff,))
            self.db.execute("DELETE FROM answered WHERE started_at < ?", (cutoff,))
            self.db.execute("DELETE FROM refused WHERE refused_at < ?", (cutoff,))


def parse_server_time(text: str) -> float:
    import datetime as dt

    return dt.datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()
