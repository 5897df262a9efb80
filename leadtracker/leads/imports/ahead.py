"""Reading and cleaning the next batch of an import while the current one is written.

A batch's writes are mostly time the importing thread spends outside Python — in SQLite's C
code, or waiting for PostgreSQL, which works in a process of its own — and Python's lock is
free meanwhile. A thread of its own reads the file's next records and cleans the everyday rows
(imports/fastrow.py) in that time, one batch ahead, so the two overlap on a machine's cores.

Only on PostgreSQL (THREAD_FOR): on SQLite the parts are read in the importing thread.

The reading thread never touches the database (Django's connections are per thread, and a
caller's transaction is the importing thread's): a row it cannot clean on its own — anything
the general path must look at, a source spelling not met before — is left for the importing
thread, which does everything else exactly as before, in the same order: counts, issues and
each batch's commit with its progress. At most two batches are read ahead, so memory stays
flat whatever the file's size.
"""

import contextlib
import queue
import threading
from dataclasses import dataclass, field

from django.db import connection
from django.utils.translation import trans_real

from leadtracker.leads.imports.reader import BrokenLine

# Batches read ahead at most: one being cleaned while the next waits is enough to keep the
# writer busy; more would only hold rows in memory.
AHEAD = 2


@dataclass
class Part:
    """Records of the file, in order, up to a batch's worth of rows."""

    # (row number, cells or a BrokenLine, the row cleaned by the fast path or None)
    items: list = field(default_factory=list)
    rows: int = 0  # items that are rows, not BrokenLines
    fraction: float = 0.0  # how far into the file the reader was at the batch's end
    last: bool = False  # no records after this part
    over: int | None = None  # the row number where the file went past the most rows an import takes
    error: BaseException | None = None  # what stopped the reading, raised after this part


class LaterSource:
    """A source spelling the reading thread had not met: the importing thread resolves it
    (which may create the source, a write)."""

    __slots__ = ("name",)

    def __init__(self, name: str):
        self.name = name


def met_or_later(met: dict):
    """The reading thread's source of a spelling: the one the importing thread has met (``met``,
    by the value as written), else a LaterSource."""

    def source(name):
        found = met.get(name)
        return found if found is not None else LaterSource(name)

    return source


class _Stopped(Exception):
    pass


# Where the reading runs in a thread of its own: where the writes wait for another process.
# On SQLite the writes are CPU in this process, and in the runs of docs/performance.md (a
# loaded machine) the thread cost more CPU than it took off the writing thread and was slower
# in three rounds of four: there the parts are read in the importing thread, as before.
THREAD_FOR = frozenset({"postgresql"})


def in_thread() -> bool:
    return connection.vendor in THREAD_FOR


def _parts(table, records, batch, rows, max_rows, clean):
    """The table's records in Parts; the last one says so, and carries what stopped the
    reading, if anything did."""
    knows = hasattr(table, "row_number")
    part = Part()
    try:
        for cells in records:
            here = table.row_number() if knows else rows + 2
            if rows >= max_rows:
                part.over = here  # one line in the report: the rest of the file is not read
                break
            rows += 1
            if isinstance(cells, BrokenLine):
                part.items.append((here, cells, None))
                continue
            part.items.append((here, cells, clean(cells) if clean is not None else None))
            part.rows += 1
            if part.rows >= batch:
                part.fraction = table.progress()
                yield part
                part = Part()
    except Exception as exc:  # noqa: BLE001 — raised again by the importer, after this part
        part.error = exc
    part.last = True
    yield part


class ReadAhead:
    """Iterates over the table's records in Parts of ``batch`` rows, read in a thread of its
    own where in_thread() (else each part when asked for, in the importing thread)."""

    def __init__(self, table, records, *, batch: int, rows_before: int, max_rows: int, clean=None):
        self._parts = _parts(table, records, batch, rows_before, max_rows, clean)
        self._thread = None
        if not in_thread():
            return
        self._queue: queue.Queue = queue.Queue(maxsize=AHEAD)
        self._stop = threading.Event()
        # The reader's own messages (a broken line) are in the importing thread's language, and
        # recorded as it records them (lib/stored_text.recording): its active translation,
        # which Django keeps per thread.
        active = getattr(trans_real._active, "value", None)
        self._thread = threading.Thread(
            target=self._read, args=(active,), name="import-read-ahead", daemon=True
        )
        self._thread.start()

    def _put(self, part: Part) -> None:
        while True:
            try:
                self._queue.put(part, timeout=0.1)
                return
            except queue.Full:
                if self._stop.is_set():
                    raise _Stopped from None

    def _read(self, active):
        if active is not None:
            trans_real._active.value = active
        try:
            for part in self._parts:
                self._put(part)
                if part.last or self._stop.is_set():
                    return
        except _Stopped:
            return
        except BaseException as exc:  # noqa: BLE001 — the importing thread must not wait forever
            with contextlib.suppress(_Stopped):
                self._put(Part(last=True, error=exc))

    def next(self) -> Part:
        if self._thread is None:
            return next(self._parts)
        return self._queue.get()

    def close(self) -> None:
        """Stop reading (the import ended, or failed) and wait for the thread."""
        if self._thread is None:
            self._parts.close()
            return
        self._stop.set()
        while self._thread.is_alive():
            try:
                self._queue.get(timeout=0.1)
            except queue.Empty:
                pass
        self._thread.join()
