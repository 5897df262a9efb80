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
import datetime as dt
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
    shift_id INTEGER,                     -- unused (older agents: the local shift it opened)
    created_at REAL NOT NULL
);
-- The person's shifts as the server has them (GET /attendance/shifts, and the answers to
-- punches). Punches still waiting are applied over them when read (Store.shifts). Only calls
-- inside one are queued and sent (the server enforces the same rule). Rows without server_id
-- were written by older agents from their own punches: the next fetch replaces them.
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
            # (SCHEMA is split at every ";": none may appear in its comments.)
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
        """The shifts as the phone knows them: the server's (as last fetched, or as a punch's
        answer gave them), with the punches still waiting applied on top the way the server
        will apply them. Works offline: it is all in this file."""
        known = [
            [start, end]
            for start, end in self.db.execute("SELECT started_at, ended_at FROM shifts ORDER BY started_at")
        ]
        for _id, kind, at, _location, _shift_id in self.pending_punches():
            _apply_punch(known, kind, at)
        # By start only: an open end (None) does not compare with a closed one.
        return sorted(((start, end) for start, end in known), key=lambda shift: shift[0])

    def open_shift(self) -> float | None:
        """When the open shift started, as the phone knows it; None when off shift."""
        starts = [start for start, end in self.shifts() if end is None]
        return max(starts) if starts else None

    def record_server_shift(self, shift: dict) -> None:
        """A shift the server sent in answer to a punch. Call inside tx()."""
        server_id, started, ended = _shift_fields(shift)
        if ended is None:
            # The server has one open shift at a time, so one we still think open has ended, at
            # the latest when this one started. Only a guess until the next fetch of the
            # shifts, which every round makes before sending anything.
            self.db.execute(
                "UPDATE shifts SET ended_at = max(started_at, ?) WHERE ended_at IS NULL AND "
                "(server_id IS NULL OR server_id != ?)",
                (started, server_id),
            )
        self._upsert_shift(server_id, started, ended)

    def replace_server_shifts(self, start: float, end: float, shifts: list[dict]) -> None:
        """The server's answer to GET /attendance/shifts for [start, end): the truth for that
        period. What the phone held for it and the server no longer lists (deleted, or moved by
        a manager's correction) goes; shifts the phone did not know, or knew shorter, are noted
        so that the next read goes back to them. Call inside tx()."""
        listed = [_shift_fields(shift) for shift in shifts]
        ids = {server_id for server_id, _, _ in listed}
        # The server's own overlap rule (attendance.selectors.shifts_between).
        stale = self.db.execute(
            "SELECT id, server_id FROM shifts WHERE started_at < ? AND (ended_at IS NULL OR ended_at > ?)",
            (end, start),
        ).fetchall()
        for row_id, server_id in stale:
            # Rows without a server id were written by older agents from their own punches.
            if server_id is None or server_id not in ids:
                self.db.execute("DELETE FROM shifts WHERE id = ?", (row_id,))
        reread = self.get("reread_from")
        for server_id, started, ended in listed:
            before = self.db.execute(
                "SELECT started_at, ended_at FROM shifts WHERE server_id = ?", (server_id,)
            ).fetchone()
            gained = None
            if before is None:
                gained = started
            elif started < before[0]:
                gained = started
            elif before[1] is not None and (ended is None or ended > before[1]):
                gained = before[1]
            if gained is not None:
                reread = gained if reread is None else min(reread, gained)
            self._upsert_shift(server_id, started, ended)
        if reread is not None:
            self.put("reread_from", reread)

    def _upsert_shift(self, server_id: int, started: float, ended: float | None) -> None:
        self.db.execute(
            "INSERT INTO shifts (server_id, started_at, ended_at) VALUES (?, ?, ?) "
            "ON CONFLICT (server_id) DO UPDATE SET started_at = excluded.started_at, "
            "ended_at = excluded.ended_at",
            (server_id, started, ended),
        )

    # --- punches ------------------------------------------------------------------------------

    def add_punch(self, kind: str, at: float, location: dict | None) -> int:
        """Record a punch at once; until it is sent, shifts() applies it over the server's."""
        with self.tx():
            return self.db.execute(
                "INSERT INTO punches (kind, at, location, created_at) VALUES (?, ?, ?, ?)",
                (kind, at, json.dumps(location) if location else None, time.time()),
            ).lastrowid

    def pending_punches(self) -> list[tuple[int, str, float, dict | None, int | None]]:
        rows = self.db.execute("SELECT id, kind, at, location, shift_id FROM punches ORDER BY id").fetchall()
        return [(i, k, at, json.loads(loc) if loc else None, s) for i, k, at, loc, s in rows]

    def punch_done(self, punch_id: int, shift: dict | None) -> None:
        with self.tx():
            self.db.execute("DELETE FROM punches WHERE id = ?", (punch_id,))
            if shift is not None:
                self.record_server_shift(shift)

    def punch_refused(self, punch_id: int) -> None:
        """The server refused a punch for good (409, 422): it is not sent again, and the shift
        it opened or closed on the phone goes with it (shifts() no longer applies it)."""
        with self.tx():
            self.db.execute("DELETE FROM punches WHERE id = ?", (punch_id,))

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

    def known(self, call_id: str) -> bool:
        """Queued, answered or refused already: a row the newest-rows poll need not queue."""
        return (
            self.db.execute(
                "SELECT 1 FROM outbox WHERE device_call_id = ? UNION ALL "
                "SELECT 1 FROM answered WHERE device_call_id = ? UNION ALL "
                "SELECT 1 FROM refused WHERE device_call_id = ?",
                (call_id, call_id, call_id),
            ).fetchone()
            is not None
        )

    def answered(self, call_id: str) -> bool:
        row = self.db.execute("SELECT 1 FROM answered WHERE device_call_id = ?", (call_id,)).fetchone()
        return row is not None

    def next_batch(self, limit: int, *, now: float) -> list[tuple[str, int, str, str]]:
        return self.db.execute(
            "SELECT device_call_id, started_at, number, body FROM outbox WHERE not_before <= ? "
            "ORDER BY started_at, device_call_id LIMIT ?",
            (now, limit),
        ).fetchall()

    def oldest_queued(self) -> float | None:
        return self.db.execute("SELECT min(started_at) FROM outbox").fetchone()[0]

    def drop(self, ids: list[str]) -> None:
        """Calls that must not leave the phone after all (excluded, or outside every shift)."""
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

    def refuse(self, rows: list[tuple[str, int, str, str]], errors: list[str]) -> None:
        """The server refused these calls, and only them (a 422 naming them): set aside."""
        self.answer(rows, refused=dict(enumerate(errors)), held={})

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
    moment = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    if moment.tzinfo is None:
        raise ValueError(f"{text!r} has no offset")
    return moment.timestamp()


def _shift_fields(shift: dict) -> tuple[int, float, float | None]:
    """(server id, start, end or None) of a shift as the API gives it (ShiftOut)."""
    ended = shift.get("ended_at")
    return (
        int(shift["id"]),
        parse_server_time(shift["started_at"]),
        parse_server_time(ended) if ended else None,
    )


def _apply_punch(known: list[list], kind: str, at: float) -> None:
    """A punch not yet sent, applied to ``known`` ([start, end] lists) as the server will apply
    it (attendance.actions): punching in with a shift open is that shift; punching in before
    the last shift ended is refused, as is punching out with none open or before its start."""
    open_ = [shift for shift in known if shift[1] is None]
    if kind == "in":
        if open_:
            return
        last_end = max((end for _, end in known), default=None)
        if last_end is not None and at < last_end:
            return
        known.append([at, None])
        return
    for shift in open_:
        if shift[0] <= at:
            shift[1] = at
