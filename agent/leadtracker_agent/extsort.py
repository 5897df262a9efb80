"""Calls in time order in bounded memory: sorted runs spilled to temporary files, then merged.

`parse` prints oldest first, but a backup may list calls newest first (Android's default
order) and may hold 100,000 of them; holding them all to sort would defeat the streaming
reader. Each call is kept only as its sort key and its JSON line.
"""

from __future__ import annotations

import heapq
import tempfile
from collections.abc import Iterable, Iterator

RUN = 20_000  # lines per sorted run: a few MB


def sorted_lines(items: Iterable[tuple[int, str, str]], run: int = RUN) -> Iterator[str]:
    """``items`` are (epoch, id, line); yields the lines ordered by (epoch, id)."""
    buffer: list[tuple[int, str, str]] = []
    spills = []
    try:
        for item in items:
            buffer.append(item)
            if len(buffer) >= run:
                spills.append(_spill(buffer))
                buffer = []
        buffer.sort()
        if not spills:
            for _, _, line in buffer:
                yield line
            return
        spills.append(_spill(buffer))
        streams = [_read(fh) for fh in spills]
        for _, _, line in heapq.merge(*streams):
            yield line
    finally:
        for fh in spills:
            fh.close()


def _spill(buffer: list[tuple[int, str, str]]):
    buffer.sort()
    fh = tempfile.TemporaryFile("w+", encoding="utf-8")  # noqa: SIM115 - closed by sorted_lines
    # JSON lines hold no raw tab or newline, so both can delimit.
    fh.writelines(f"{epoch}\t{key}\t{line}\n" for epoch, key, line in buffer)
    fh.seek(0)
    return fh


def _read(fh) -> Iterator[tuple[int, str, str]]:
    for raw in fh:
        epoch, key, line = raw.rstrip("\n").split("\t", 2)
        yield int(epoch), key, line
