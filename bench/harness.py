"""A small benchmark harness: each benchmark runs on SQLite and on PostgreSQL (when reachable)
in a database of its own, and writes its figures as JSON and as a Markdown table."""

import http.client
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

RESULTS = Path(__file__).parent / "results"
ROOT = Path(__file__).resolve().parent.parent


def timed(fn, repeat: int) -> list[float]:
    """Milliseconds for each of ``repeat`` calls (after two warm-up calls)."""
    fn()
    fn()
    out = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        out.append((time.perf_counter() - start) * 1000)
    return out


def summary(samples: list[float]) -> dict:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]
    return {"p50_ms": round(statistics.median(ordered), 3), "p95_ms": round(p95, 3), "n": len(ordered)}


def write(name: str, rows: list[dict], notes: str = "") -> None:
    RESULTS.mkdir(exist_ok=True)
    meta = {"cpu_count": os.cpu_count(), "when": time.strftime("%Y-%m-%d %H:%M:%S")}
    (RESULTS / f"{name}.json").write_text(json.dumps({"meta": meta, "rows": rows}, indent=2))
    columns = list(rows[0]) if rows else []
    lines = [f"# {name}", "", notes, "", "| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    lines += ["| " + " | ".join(str(r[c]) for c in columns) + " |" for r in rows]
    (RESULTS / f"{name}.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


def wait_healthy(server: subprocess.Popen, port: int, seconds: float, what: str) -> None:
    """Return once the server started as ``server`` answers /healthz on ``port`` with 200; stop
    it and raise if it exits first or ``seconds`` pass (``what`` names it in the error)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"{what} exited with {server.returncode}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                conn.close()
                return
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise RuntimeError(f"{what} did not answer /healthz within {seconds:g} s")


def stop_server(process: subprocess.Popen) -> None:
    """Stop a server (or worker) started by a benchmark: asked first, killed after 30 s."""
    process.terminate()
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def each_database(module: str, arguments: list[str], skip=None) -> int:
    """Run ``bench.<module>`` once per database (``--db sqlite``, then ``--db postgresql``), each in
    a process of its own with ``arguments``; the exit status is 1 if any run failed. ``skip(label)``
    may name a reason to leave a database out (said loudly, and counted as a failure)."""
    failed = 0
    for label in ("sqlite", "postgresql"):
        reason = skip(label) if skip else None
        if reason:
            print(f"!!! {reason}: {label} figures NOT measured", file=sys.stderr)
            failed = 1
            continue
        print(f"== {module} on {label}", flush=True)
        command = [sys.executable, "-m", f"bench.{module}", "--db", label, *arguments]
        failed |= subprocess.call(command, cwd=ROOT)
    return failed
