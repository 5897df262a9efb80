"""The import's spreadsheet reader alone (leads/imports/reader.py): rows per second over the 100,000-row
CSV of bench_import, clean, with notes across lines, and with a quote left open in 1% of the
rows (each such record is read 20 lines ahead and given back). The reader must stay far
faster than the import (about 10,000 rows/s end to end), so that it is never what limits it.
It touches no database: it runs once, on the SQLite pass of `make bench`."""

import csv
import os
import random
import time

from bench.bench_import import N_ROWS, make_csv
from bench.harness import write


def with_notes_and_stray_quotes(source, path, *, stray_every: int | None):
    """The benchmark's rows with a two-line note in every 10th row and, when asked, an opening
    quote that is never closed in every `stray_every`-th row."""
    rng = random.Random(5)
    with (
        open(source, newline="", encoding="utf-8") as fh,
        open(path, "w", newline="", encoding="utf-8") as out,
    ):
        reader, writer = csv.reader(fh), csv.writer(out)
        out.write(",".join(next(reader)) + "\r\n")
        for i, row in enumerate(reader):
            if i % 10 == 0:
                row[-1] = "Call after 6pm\nWants 2BHK near " + rng.choice(["Patia", "Baner"])
            if stray_every and i % stray_every == 7:
                out.write('"' + ",".join(row).replace("\n", " ") + "\r\n")
            else:
                writer.writerow(row)


def rows_per_second(path) -> tuple[int, int, float]:
    from leadtracker.leads.imports.reader import BrokenLine, open_table

    best, items, broken = None, 0, 0
    for _ in range(3):
        started = time.perf_counter()
        table = open_table(path)
        items = broken = 0
        for cells in table.rows:
            items += 1
            broken += isinstance(cells, BrokenLine)
        table.close()
        seconds = time.perf_counter() - started
        best = seconds if best is None else min(best, seconds)
    return items, broken, best


def main():
    if os.environ.get("BENCH_DB_LABEL", "sqlite") != "sqlite":
        print("the reader touches no database: measured on the SQLite pass only")
        return
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "leadtracker.settings")
    django.setup()
    from django.conf import settings

    plain = os.path.join(settings.VAR_DIR, f"bench-reader-{N_ROWS}.csv")
    make_csv(plain)
    shapes = {"plain": plain}
    for name, stray_every in (("notes across lines", None), ("notes, 1% unclosed quotes", 100)):
        path = os.path.join(settings.VAR_DIR, f"bench-reader-{N_ROWS}-{stray_every}.csv")
        with_notes_and_stray_quotes(plain, path, stray_every=stray_every)
        shapes[name] = path
    rows = []
    for name, path in shapes.items():
        items, broken, seconds = rows_per_second(path)
        rows.append(
            {
                "file": name,
                "rows": items,
                "broken": broken,
                "seconds": round(seconds, 3),
                "rows_per_s": round(items / seconds),
            }
        )
        os.remove(path)
    write(
        "import_reader",
        rows,
        notes=(
            f"The CSV reader alone over {N_ROWS:,} rows (best of 3, in process, no database): "
            "decoding, delimiter and header detection, csv parsing and the unclosed-quote guard."
        ),
    )


if __name__ == "__main__":
    main()
