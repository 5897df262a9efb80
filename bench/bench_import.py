"""Importing a 100,000-row CSV end to end: rows per second and peak memory of the process.

The file has the columns a hand-made sheet has, 1% broken rows and 1% duplicates of earlier
rows, so the error and duplicate paths are measured too. The import runs in this process
(as the worker runs it), and memory is the process's peak resident size, read from the OS.
"""

import csv
import json
import os
import random
import resource
import subprocess
import sys
import time
from types import SimpleNamespace

from bench.db import fresh_database
from bench.harness import write

N_ROWS = int(os.environ.get("BENCH_IMPORT_ROWS", "100000"))


def make_csv(path):
    rng = random.Random(3)
    numbers = rng.sample(range(6_000_000_000, 9_999_999_999), N_ROWS)
    with open(path, "w", newline="", encoding="utf-8") as fh:
        out = csv.writer(fh)
        out.writerow(["Customer Name", "Mobile No", "Alternate Phone", "Email", "City", "Source", "Remarks"])
        for i in range(N_ROWS):
            n = numbers[i]
            if i % 100 == 50:
                phone = "12345"  # broken
            elif i % 100 == 75 and i > 100:
                phone = f"+91 {numbers[i - 60]}"  # a duplicate of an earlier row
            else:
                phone = f"{str(n)[:5]} {str(n)[5:]}"
            out.writerow(
                [
                    f"Customer {i}",
                    phone,
                    "",
                    f"c{i}@example.in" if i % 3 == 0 else "",
                    rng.choice(["Pune", "Mumbai", "Delhi"]),
                    rng.choice(["IndiaMART", "JustDial", ""]),
                    "Call after 6pm" if i % 10 == 0 else "",
                ]
            )
    return os.path.getsize(path)


class BackendCpu:
    """CPU seconds of the PostgreSQL backends serving the bench's database other than this
    process's own (the import's), read from /proc while they live: on a machine shared with
    other work the server's CPU, not the wall clock, says what the import costs the server.
    Read every quarter second, so up to that much of a backend's last moments is not counted;
    None where /proc does not show the server's processes (another machine)."""

    def __init__(self, connection):
        self.connection = connection
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid(), current_database()")
            self.own, self.database = cursor.fetchone()
        self.seen: dict[int, float] = {}
        self.readable = True

    def poll(self) -> None:
        with self.connection.cursor() as cursor:
            cursor.execute(
                "SELECT pid FROM pg_stat_activity WHERE datname = %s AND pid <> %s", [self.database, self.own]
            )
            pids = [r[0] for r in cursor.fetchall()]
        for pid in pids:
            try:
                with open(f"/proc/{pid}/stat") as fh:
                    fields = fh.read().rsplit(")", 1)[1].split()
            except FileNotFoundError:
                continue  # it ended meanwhile
            except OSError:
                self.readable = False
                continue
            # utime and stime, the 14th and 15th fields (12th and 13th after the name)
            self.seen[pid] = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def seconds(self):
        return sum(self.seen.values()) if self.readable and self.seen else None


class Written:
    """Bytes the importing process wrote (``wchar`` of /proc/<pid>/io: SQLite's WAL frames and
    checkpoints, the issue report), read while it lives, so up to a quarter second of its end is
    not counted: unlike its wall time, the same for the same code whatever the machine's load.
    None where /proc does not show it."""

    def __init__(self, pid):
        self.path, self.seen, self.readable = f"/proc/{pid}/io", 0, True

    def poll(self) -> None:
        try:
            with open(self.path) as fh:
                self.seen = next(int(line.split()[1]) for line in fh if line.startswith("wchar"))
        except FileNotFoundError:
            pass  # it ended meanwhile
        except OSError:
            self.readable = False

    def megabytes(self):
        return round(self.seen / 1e6) if self.readable and self.seen else None


def _rounded(value):
    return round(value, 1) if value is not None else None


def _wait(process, backend_cpu, written):
    """The import's output, reading the server's CPU and the bytes written meanwhile."""
    while True:
        try:
            return process.communicate(timeout=0.25)
        except subprocess.TimeoutExpired:
            written.poll()
            if backend_cpu is not None:
                backend_cpu.poll()


def main():
    fresh_database()
    from django.conf import settings
    from django.db import connection

    from leadtracker.accounts.actions import create_organisation

    org, _owner = create_organisation(name="Bench", slug="bench", owner_email="owner@bench.in")
    path = os.path.join(settings.VAR_DIR, f"bench-import-{N_ROWS}.csv")
    size = make_csv(path)
    # The import runs as the command a person would type, in a process of its own, so its peak
    # memory is its own (this process made the CSV and holds a million numbers).
    command = [sys.executable, "-m", "leadtracker.cli", "import-leads", path, "--org", "bench"]
    started = time.perf_counter()
    with subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=dict(os.environ)
    ) as process:
        backend_cpu = BackendCpu(connection) if connection.vendor == "postgresql" else None
        written = Written(process.pid)
        out, err = _wait(process, backend_cpu, written)
    seconds = time.perf_counter() - started
    if process.returncode:
        raise subprocess.CalledProcessError(process.returncode, command, out, err)
    done = SimpleNamespace(stdout=out)
    counts = SimpleNamespace(**json.loads(done.stdout.strip().splitlines()[-1]))
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    rss_peak = usage.ru_maxrss / 1024
    # CPU seconds of the importing process (and of PostgreSQL's work, not counted): steadier
    # than wall time on a shared machine, where a busy neighbour stretches the wall clock.
    cpu = usage.ru_utime + usage.ru_stime
    label = os.environ.get("BENCH_DB_LABEL", connection.vendor)
    row = {
        "database": label,
        "rows": counts.rows,
        "created": counts.created,
        "duplicates": counts.duplicates,
        "errors": counts.errors,
        "warnings": counts.warnings,
        "seconds": round(seconds, 1),
        "rows_per_s": round(counts.rows / seconds),
        "cpu_s": round(cpu, 1),
        "rows_per_cpu_s": round(counts.rows / cpu),
        # PostgreSQL's own CPU for the import (its backend's), which the process's does not count.
        "backend_cpu_s": _rounded(backend_cpu.seconds() if backend_cpu is not None else None),
        # What the process wrote: on SQLite the database's WAL and checkpoints.
        "written_mb": written.megabytes(),
        "load_1m": round(os.getloadavg()[0], 1),
        "peak_rss_mb": round(rss_peak),
    }
    # The broken number of a row that has an e-mail too is a warning on a lead, not an error.
    assert counts.rows == N_ROWS and counts.errors + counts.warnings == N_ROWS // 100
    write(
        f"import_{label}",
        [row],
        notes=(
            f"A {size / 1024 / 1024:.1f} MB CSV of {N_ROWS:,} rows (1% with a broken number: an error, "
            "or a warning when the row has an e-mail; ~1% duplicates), "
            "imported end to end (read, clean, normalise numbers, dedupe, bulk insert leads, numbers "
            "and timeline) in one process; "
            "seconds include starting the command (about a second); peak_rss_mb is the importing "
            "process's peak resident memory as the OS reports it."
        ),
    )


if __name__ == "__main__":
    main()
