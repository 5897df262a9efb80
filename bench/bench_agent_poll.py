"""Device agent: the cost of watch's newest-rows poll against a full read of the call log.

On shift, `leadtracker-agent watch` reads only the newest rows (`termux-call-log -l 5 -o 0`)
every 25 s, so a call is synced and prompted for while it is fresh; the full read (back to the
last read, less 24 h, in pages of 100) stays for the rounds every few minutes. This measures
both against a phone with a 500-row call log (Android keeps about that many), as the agent
runs them: the tool as a child process (a stand-in printing the rows as Termux:API does, in
the same JSON shape), its output parsed into calls. CPU is the agent's and the tool's together
(user + system); wall is end to end. On a phone termux-call-log itself costs more (Android's
content provider answers through Termux:API's app): the ratio is what carries over. Uses no
database.

    python -m bench.bench_agent_poll              # 500 rows, 20 runs each
    python -m bench.bench_agent_poll --rows 2000
"""

import argparse
import datetime as dt
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "agent"))

from leadtracker_agent import prompt, readers  # noqa: E402 (the agent is not installed in the server's venv)

IST = dt.timezone(dt.timedelta(hours=5, minutes=30))
FAKE_TOOL = """#!{python} -IS
# termux-call-log: newest first by date, -l/-o applied, each page printed oldest first.
import json, sys
args = sys.argv[1:]
limit = int(args[args.index("-l") + 1]) if "-l" in args else 10
offset = int(args[args.index("-o") + 1]) if "-o" in args else 0
with open({log!r}) as fh:
    rows = json.load(fh)
print(json.dumps(rows[offset:offset + limit][::-1], indent=2))
"""


def write_log(directory: Path, count: int) -> Path:
    now = dt.datetime.now(IST).replace(microsecond=0)
    rows = []
    for i in range(count):
        seconds = 30 + i * 7 % 600
        rows.append(
            {
                "name": "UNKNOWN_CALLER" if i % 3 else "Asha Sharma",
                "phone_number": f"+9198{i:08d}",
                "type": ("OUTGOING", "INCOMING", "MISSED")[i % 3],
                # Every row inside the last 24 h: the full read pages through all of them.
                "date": (now - dt.timedelta(seconds=60 + i * 150)).strftime("%Y-%m-%d %H:%M:%S"),
                "duration": f"{seconds // 60:02d}:{seconds % 60:02d}",
                "sim_id": "1",
            }
        )
    log = directory / "call-log.json"
    log.write_text(json.dumps(rows))
    tool = directory / "termux-call-log"
    tool.write_text(FAKE_TOOL.format(python=sys.executable, log=str(log)))
    tool.chmod(0o755)
    return directory


def measure(work, runs: int) -> tuple[float, float, int]:
    """Median wall ms, median CPU ms (this process and its children), calls read."""
    walls, cpus, count = [], [], 0
    for _ in range(runs):
        before, cpu_before = time.perf_counter(), os.times()
        count = sum(isinstance(item, readers.Call) for item in work())
        after, cpu_after = time.perf_counter(), os.times()
        walls.append((after - before) * 1000)
        cpus.append(sum(a - b for a, b in zip(cpu_after[:4], cpu_before[:4], strict=True)) * 1000)
    return statistics.median(walls), statistics.median(cpus), count


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=500)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        bin_dir = write_log(Path(tmp), args.rows)
        os.environ["PATH"] = f"{bin_dir}{os.pathsep}{os.environ['PATH']}"
        since = int(time.time()) - 25 * 3600
        results = {
            f"newest {prompt.NEWEST_ROWS} rows (-l {prompt.NEWEST_ROWS} -o 0)": measure(
                lambda: readers.termux_newest(prompt.NEWEST_ROWS, IST), args.runs
            ),
            "full read, pages of 100": measure(
                lambda: list(readers.termux_live(since, IST, page_size=100)), args.runs
            ),
        }
    print(f"call log of {args.rows} rows, median of {args.runs} runs")
    print(f"{'read':<32} {'wall ms':>9} {'CPU ms':>9} {'calls':>6}")
    for name, (wall, cpu, count) in results.items():
        print(f"{name:<32} {wall:>9.1f} {cpu:>9.1f} {count:>6}")
    (poll_wall, poll_cpu, _), (full_wall, full_cpu, _) = results.values()
    print(
        f"a poll costs {poll_cpu / full_cpu:.0%} of a full read's CPU, "
        f"{poll_wall / full_wall:.0%} of its wall time"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
