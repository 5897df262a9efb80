"""The main pages on a phone, as an agent: bytes over the wire and first contentful paint.

Starts `leadtracker serve` (production settings: DEBUG off, collectstatic with WhiteNoise's
compressed manifest storage, gunicorn) on a fresh SQLite database with the demo organisation,
signs in as its agent Sunil in Chromium at 360×800, and opens each page RUNS times with:

- the network like Chrome's "Fast 4G": 9 Mbit/s down, 1.5 Mbit/s up, 60 ms round trip
  (CDP Network.emulateNetworkConditions; latency is added to each request);
- the CPU 4× slower (CDP Emulation.setCPUThrottlingRate 4);
- an empty cache (a new browser context per run, with the agent's session cookie), so every run
  is a first visit: the HTML, every stylesheet and script is fetched (the worst case; a second
  visit fetches the HTML only, the static files being cached for a year under hashed names).

It counts the bytes transferred (encoded: compressed when the server compressed) of the HTML,
CSS and JS (budget ≤ 120 KB), and of everything, and reads the first contentful paint from the
page's Performance API (budget < 1.5 s). Median and worst of the runs per page (after one visit
not counted); a table printed
and written to bench/results/pages.{json,md}. The page weight and paint do not depend on the
database, so this runs on SQLite only (the harness's PostgreSQL run says so and stops).

    .venv/bin/python -m bench bench_pages      # or: make bench
"""

import os
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from bench.harness import write

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "var" / "bench-pages"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
RUNS = int(os.environ.get("BENCH_PAGES_RUNS", "5"))
KBIT = 1000 / 8  # bytes per second in one kbit/s
FAST_4G = {
    "offline": False,
    "latency": 60,
    "downloadThroughput": 9000 * KBIT,
    "uploadThroughput": 1500 * KBIT,
}
CPU_SLOWDOWN = 4
BUDGET_KB = 120
BUDGET_FCP_MS = 1500
AGENT = "sunil@demo.leadtracker.example"
# (label, path); "{lead}" is the first lead of the agent's list.
PAGES = [
    ("My day", "/my-day/"),
    ("Calling queue", "/queue/"),
    ("Leads", "/leads/"),
    ("A lead", "/leads/{lead}/"),
    ("Calls", "/calls/"),
]
CODE_TYPES = ("document", "stylesheet", "script")
PHONE = {
    "viewport": {"width": 360, "height": 800},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
    "locale": "en-IN",
    "timezone_id": "Asia/Kolkata",
}


def server_env() -> dict:
    return dict(
        os.environ,
        DATABASE_URL=f"sqlite:///{WORK / 'db.sqlite3'}",
        LEADTRACKER_VAR_DIR=str(WORK / "var"),
        DEBUG="False",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1",
        SITE_URL="http://127.0.0.1",
        # loopback has no TLS: no redirect to https, cookies sent over http
        SECURE_SSL_REDIRECT="False",
        SESSION_COOKIE_SECURE="False",
        CSRF_COOKIE_SECURE="False",
        SECURE_HSTS_SECONDS="0",
    )


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def prepare(env: dict) -> None:
    shutil.rmtree(WORK, ignore_errors=True)
    WORK.mkdir(parents=True)
    leadtracker = str(Path(sys.executable).parent / "leadtracker")
    for command in (["migrate", "--no-input", "-v", "0"], ["demo"]):
        subprocess.run([leadtracker, *command], env=env, check=True, stdout=subprocess.DEVNULL)  # noqa: S603


def start_server(env: dict, port: int, log) -> subprocess.Popen:
    leadtracker = str(Path(sys.executable).parent / "leadtracker")
    command = [leadtracker, "serve", "--bind", f"127.0.0.1:{port}", "--workers", "2"]
    server = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)  # noqa: S603
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"leadtracker serve exited with {server.returncode}; see {log.name}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5):  # noqa: S310
                return server
        except OSError:
            time.sleep(0.3)
    server.terminate()
    raise RuntimeError("leadtracker serve did not answer /healthz within 120 s")


def sign_in(page, base: str) -> None:
    page.goto(f"{base}/login/")
    page.fill("input[name=email]", AGENT)
    page.fill("input[name=password]", "leadtracker-demo")
    with page.expect_navigation():
        page.click("button[type=submit]")


def first_lead(page, base: str) -> str:
    page.goto(f"{base}/leads/")
    href = page.eval_on_selector_all(
        "main a[href]", "(els) => els.map((a) => a.pathname).find((p) => /^\\/leads\\/\\d+\\/$/.test(p))"
    )
    return href.split("/")[2]


def measure(browser, signed_in: dict, url: str) -> dict:
    """One first visit (a new context: empty cache, the agent's session cookie) under Fast 4G
    and a 4× slower CPU: bytes transferred by kind, first contentful paint."""
    context = browser.new_context(storage_state=signed_in, **PHONE)
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.emulateNetworkConditions", FAST_4G)
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": CPU_SLOWDOWN})
    responses = []
    page.on("response", lambda answer: responses.append(answer))
    response = page.goto(url, wait_until="load")
    if response is None or response.status != 200:
        raise RuntimeError(f"{url} answered {response and response.status}")
    page.wait_for_load_state("networkidle")
    fcp = page.evaluate(
        "() => (performance.getEntriesByName('first-contentful-paint')[0] || {}).startTime || null"
    )
    by_kind = {kind: 0 for kind in CODE_TYPES}
    every = 0
    compressed = []
    for answer in responses:
        # the body as sent (compressed when the server compressed it) and its headers
        sizes = answer.request.sizes()
        size = sizes["responseBodySize"] + sizes["responseHeadersSize"]
        every += size
        kind = answer.request.resource_type
        if kind in CODE_TYPES:
            by_kind[kind] += size
            if kind != "document":
                compressed.append(answer.headers.get("content-encoding", "") in ("gzip", "br"))
    context.close()
    return {
        "code_bytes": sum(by_kind.values()),
        "html_bytes": by_kind["document"],
        "all_bytes": every,
        "fcp_ms": fcp,
        "static_compressed": f"{sum(compressed)}/{len(compressed)}",
    }


def run(base: str) -> list[dict]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"]
        )
        context = browser.new_context(**PHONE)
        page = context.new_page()
        sign_in(page, base)
        lead = first_lead(page, base)
        signed_in = context.storage_state()
        context.close()
        rows = []
        for label, path in PAGES:
            path = path.format(lead=lead)
            # One visit first, not counted: the server's first answer to a page pays for
            # imports and template loading that every later one is spared.
            measure(browser, signed_in, base + path)
            samples = [measure(browser, signed_in, base + path) for _ in range(RUNS)]
            rows.append(row(label, path, samples))
            print(rows[-1], flush=True)
        browser.close()
    return rows


def row(label: str, path: str, samples: list[dict]) -> dict:
    code = [s["code_bytes"] / 1024 for s in samples]
    every = [s["all_bytes"] / 1024 for s in samples]
    html = [s["html_bytes"] / 1024 for s in samples]
    fcp = [s["fcp_ms"] for s in samples if s["fcp_ms"] is not None]
    return {
        "page": label,
        "path": path,
        "html_css_js_kb_median": round(statistics.median(code), 1),
        "html_css_js_kb_worst": round(max(code), 1),
        "of_which_html_kb": round(statistics.median(html), 1),
        "static_gzipped": samples[-1]["static_compressed"],
        "all_kb_median": round(statistics.median(every), 1),
        "fcp_ms_median": round(statistics.median(fcp)) if fcp else None,
        "fcp_ms_worst": round(max(fcp)) if fcp else None,
        "within_budget": max(code) <= BUDGET_KB and bool(fcp) and max(fcp) < BUDGET_FCP_MS,
    }


def main() -> int:
    if os.environ.get("BENCH_DB_LABEL", "sqlite") != "sqlite":
        print("bench_pages: page weight and paint do not depend on the database; measured on SQLite only")
        return 0
    env = server_env()
    prepare(env)
    port = free_port()
    # Stopped by a signal (Ctrl+C, kill), the server is stopped too: it is not left serving.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    with open(WORK / "serve.log", "w") as log:
        server = start_server(env, port, log)
        try:
            rows = run(f"http://127.0.0.1:{port}")
        finally:
            server.terminate()
            server.wait(30)
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    notes = (
        f"Load average at the end {load} on {os.cpu_count()} cores. "
        f"Agent on a 360×800 phone, cold cache, Fast 4G (9 Mbit/s down, 1.5 Mbit/s up, 60 ms RTT), "
        f"CPU {CPU_SLOWDOWN}× slower; {RUNS} runs a page after one not counted. "
        f"Budgets: HTML+CSS+JS ≤ {BUDGET_KB} KB transferred, first contentful paint < {BUDGET_FCP_MS} ms."
    )
    write("pages", rows, notes)
    return 0 if all(r["within_budget"] for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
