"""Device agent: `leadtracker-agent parse` of a 100,000-call SMS Backup & Restore backup.

Generates calls-*.xml files as SMS Backup & Restore writes them (the attributes of the
shared sample, emoji in some contact names written as surrogate references, an unknown
attribute now and then), oldest first and newest first, then runs the real command in a child
process — streaming reader, time-ordered output through bounded sorted runs, JSON lines to
/dev/null — and reports its wall time and peak memory (the child's maximum resident set, as
the kernel counts it). Target (issue 5): under 10 s and under 100 MB. Uses no database.

    python -m bench.bench_agent_parse                 # 100,000 calls
    python -m bench.bench_agent_parse --calls 20000   # quicker
"""

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
AGENT = ROOT / "agent"
BASE_MS = 1_763_000_000_000  # Nov 2025: a year of calls before the shared sample's day
NAMES = [
    "Priya Nair",
    "Anil Builders &amp; Sons",
    "(Unknown)",
    "(Unknown)",
    "Ravi &#55357;&#56832; Kumar",
    "Bank",
]


def write_backup(path: Path, count: int, *, newest_first: bool, seed: int = 5) -> int:
    rng = random.Random(seed)
    dates = sorted(BASE_MS + rng.randrange(0, 365 * 86_400_000) for _ in range(count))
    if newest_first:
        dates.reverse()
    with open(path, "w", encoding="utf-8") as fh:
        fh.write("<?xml version='1.0' encoding='UTF-8' standalone='yes' ?>\n")
        fh.write("<!--File Created By SMS Backup & Restore v10.20.002 on 23/11/2026 22:10:04-->\n")
        fh.write(f'<calls count="{count}" backup_set="bench" backup_date="{BASE_MS}" type="full">\n')
        for i, date in enumerate(dates):
            kind = rng.choice((1, 1, 2, 2, 2, 3, 5, 6))
            duration = 0 if kind in (3, 5, 6) else rng.randint(1, 900)
            presentation = 2 if rng.random() < 0.03 else 1
            number = "" if presentation == 2 else f"+91{rng.choice('6789')}{rng.randrange(10**9):09d}"
            extra = (
                ' post_dial_digits="" subscription_component_name="com.android.phone/x"' if i % 7 == 0 else ""
            )
            fh.write(
                f'  <call number="{number}" duration="{duration}" date="{date}" type="{kind}" '
                f'presentation="{presentation}" subscription_id="{rng.choice("12")}"{extra} '
                f'readable_date="-" contact_name="{rng.choice(NAMES)}" />\n'
            )
        fh.write("</calls>\n")
    return path.stat().st_size


def measure(argv: list[str], out) -> tuple[float, float, int]:
    """Wall seconds, peak RSS in MB and exit status of one child process."""
    env = dict(os.environ, PYTHONPATH=str(AGENT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    started = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=out, stderr=subprocess.PIPE, env=env)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} failed: {proc.stderr.read().decode()}")
    proc.stderr.close()
    return elapsed, usage.ru_maxrss / 1024, proc.returncode  # ru_maxrss is in KB on Linux


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--calls", type=int, default=100_000)
    args = parser.parse_args()
    if os.environ.get("BENCH_DB_LABEL") == "postgresql":
        print("bench_agent_parse uses no database: measured in the SQLite pass only")
        return 0
    python = sys.executable
    rows = []
    with tempfile.TemporaryDirectory(prefix="bench-agent-") as tmp:
        floor_s, floor_mb, _ = measure([python, "-c", "import leadtracker_agent.cli"], subprocess.DEVNULL)
        for order, newest_first in (("oldest first", False), ("newest first", True)):
            path = Path(tmp) / f"calls-{'desc' if newest_first else 'asc'}.xml"
            size = write_backup(path, args.calls, newest_first=newest_first)
            out_path = Path(tmp) / "out.jsonl"
            argv = [
                python,
                "-m",
                "leadtracker_agent",
                "parse",
                str(path),
                "--format",
                "sbr",
                "--tz",
                "Asia/Kolkata",
            ]
            with open(out_path, "wb") as out:
                seconds, peak_mb, _ = measure(argv, out)
            # Check what was measured: every call, oldest first.
            count, last = 0, ""
            with open(out_path, encoding="utf-8") as fh:
                for line in fh:
                    started_at = json.loads(line)["started_at"]
                    assert started_at >= last, "not in time order"
                    last, count = started_at, count + 1
            assert count == args.calls, f"{count} calls printed of {args.calls}"
            rows.append(
                {
                    "backup": order,
                    "calls": f"{args.calls:,}",
                    "file MB": round(size / 2**20, 1),
                    "time s": round(seconds, 2),
                    "calls/s": f"{args.calls / seconds:,.0f}",
                    "peak RSS MB": round(peak_mb, 1),
                }
            )
    print(
        "leadtracker-agent parse, SMS Backup & Restore XML, "
        f"Python {sys.version.split()[0]}, {os.cpu_count()} CPU"
    )
    print(f"(the interpreter with the agent imported and nothing read: {floor_mb:.1f} MB, {floor_s:.2f} s)")
    columns = list(rows[0])
    print("| " + " | ".join(columns) + " |")
    print("|" + "---|" * len(columns))
    for row in rows:
        print("| " + " | ".join(str(row[c]) for c in columns) + " |")
    ok = all(r["time s"] < 10 and r["peak RSS MB"] < 100 for r in rows)
    print("target (under 10 s, under 100 MB):", "met" if ok else "NOT MET")
    return 0


if __name__ == "__main__":
    sys.exit(main())
