"""Reading and cleaning the next batch of an import while the current one is written.

A batch's writes are mostly time the importing thread spends outside Python — in SQLite's C
code, or waiting for PostgreSQL, which works in a process of its own — and Python's lock is
free meanwhile. A thread of its own reads the file's next records and cleans the everyday rows
(imports/fastrow.py) in that time, one batch ahead, so the two overlap on a machine's cores.

The reading thread never touches the database (Django's connections are per thread, and a
caller's transaction is the importing thread's): a row it cannot clean on its own — anything
the general path must look at, a source spelling not met before — is left for the importing
thread, which does everything else exactly as before, in the same order: counts, issues and
each batch's commit with its progress. At most two batches are read ahead, so memory stays
flat whatever the file's size.
"""

import queue
import threading
from dataclasses import dataclass, field

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


class ReadAhead:
    """Iterates over the table's records in Parts of ``batch`` rows, read in a thread."""

    def __init__(self, table, records, *, batch: int, rows_before: int, max_rows: int, clean=None):
        self._queue: queue.Queue = queue.Queue(maxsize=AHEAD)
        self._stop = threading.Event()
        # The reader's own messages (a broken line) are in the importing thread's language, and
        # recorded as it records them (lib/stored_text.recording): its active translation,
        # which Django keeps per thread.
        active = getattr(trans_real._active, "value", None)
        self._thread = threading.Thread(
            target=self._read,
            args=(table, records, batch, rows_before, max_rows, clean, active),
            name="import-read-ahead",
            daemon=True,
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

    def _read(self, table, records, batch, rows, max_rows, clean, active):  # noqa: PLR0913
        if active is not None:
            trans_real._active.value = active
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
                    self._put(part)
                    part = Part()
                    if self._stop.is_set():
                        return
        except _Stopped:
            return
        except BaseException as exc:  # noqa: BLE001 — raised again in the importing thread
            part.error = exc
        part.last = True
        try:
            self._put(part)
        except _Stopped:
            return

    def next(self) -> Part:
        return self._queue.get()

    def close(self) -> None:
        """Stop reading (the import ended, or failed) and wait for the thread."""
        self._stop.set()
        while self._thread.is_alive():
            try:
                self._queue.get(timeout=0.1)
            except queue.Empty:
                pass
        self._thread.join()
