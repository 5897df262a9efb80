"""`make loadtest`: 200 phones syncing every 30 s and 20 managers opening dashboards, for 5 minutes,
against `leadtracker serve` and PostgreSQL on loopback. Not part of `make test`.

It makes a fresh database (LOADTEST_DATABASE_URL, default the local PostgreSQL's
leadtracker_loadtest), one organisation with 200 agents on shift, each with a paired phone, and
20 managers; starts `leadtracker serve` in production settings (HTTPS redirect and secure cookies
off: loopback has no TLS); then every phone sends its new calls every 30 s (the agent's interval)
and every manager opens the dashboard (or, where there is none yet, the leads and calls lists)
every 15 s. It reports throughput, p50/p95/p99 latency per kind and errors (any non-2xx answer or
failed connection), as JSON and Markdown in bench/results/, and exits 1 on any error.

Traffic goes to 127.0.0.1 only; the loops stop by themselves after LOADTEST_SECONDS (300).
"""

import datetime as dt
import http.client
import json
import os
import platform
import random
import re
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
DEVICES = int(os.environ.get("LOADTEST_DEVICES", "200"))
MANAGERS = int(os.environ.get("LOADTEST_MANAGERS", "20"))
SECONDS = int(os.environ.get("LOADTEST_SECONDS", "300"))
SYNC_EVERY = 30.0
PAGE_EVERY = 15.0
DATABASE_URL = os.environ.get(
    "LOADTEST_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/leadtracker_loadtest"
)
PASSWORD = "load-test-password-42"

SERVER_ENV = {
    "DEBUG": "False",
    "SECRET_KEY": secrets.token_urlsafe(50),
    "ALLOWED_HOSTS": "127.0.0.1",
    "SITE_URL": "http://127.0.0.1",
    "SECURE_SSL_REDIRECT": "False",
    "SESSION_COOKIE_SECURE": "False",
    "CSRF_COOKIE_SECURE": "False",
    "SECURE_HSTS_SECONDS": "0",
    "DATABASE_URL": DATABASE_URL,
    "DB_CONN_MAX_AGE": "60",
}


def prepare() -> dict:
    """A fresh database with the organisation, its people, phones and open shifts."""
    os.environ.update(DATABASE_URL=DATABASE_URL)
    sys.path.insert(0, str(ROOT))
    from bench.db import fresh_database

    fresh_database()
    from django.contrib.auth.hashers import make_password
    from django.utils import timezone

    from leadtracker.accounts.actions import create_organisation
    from leadtracker.accounts.audit import Actor
    from leadtracker.accounts.models import Membership, Role, User
    from leadtracker.attendance.models import Shift
    from leadtracker.calls.actions import create_pairing_code, pair_device
    from leadtracker.leads.actions import LeadData, create_lead

    org, owner = create_organisation(
        name="Load Test", slug="load", owner_email="owner@load.test", owner_name="Owner", password=PASSWORD
    )
    hashed = make_password(PASSWORD)
    managers = []
    for m in range(MANAGERS):
        user = User.objects.create(email=f"manager{m}@load.test", full_name=f"Manager {m}", password=hashed)
        managers.append(
            Membership.objects.create(organisation=org, user=user, role=Role.MANAGER, reports_to=owner)
        )
    phones = []
    started = timezone.now() - dt.timedelta(minutes=5)
    for a in range(DEVICES):
        user = User.objects.create(email=f"agent{a}@load.test", full_name=f"Agent {a}", password=hashed)
        member = Membership.objects.create(
            organisation=org, user=user, role=Role.AGENT, reports_to=managers[a % len(managers)]
        )
        Shift.objects.create(organisation=org, user=user, started_at=started)
        _code, raw = create_pairing_code(member, actor=Actor.system(), by=None)
        _device, token = pair_device(raw, name=f"Phone {a}", platform="android", actor=Actor.system())
        phones.append(token)
        # A few leads each, so that synced calls match leads and open call-backs.
        for n in range(5):
            create_lead(
                org,
                LeadData(name=f"Lead {a}-{n}", phones=[f"+9198{a:04d}{n:04d}"]),
                actor=Actor.system(),
                by=member,
                on_duplicate="create",
            )
    return {"phones": phones, "managers": [m.user.email for m in managers]}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(port: int, log):
    env = dict(os.environ, **SERVER_ENV)
    command = [str(Path(sys.executable).parent / "leadtracker"), "serve", "--bind", f"127.0.0.1:{port}"]
    # Our own command from this venv, no shell.
    server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)  # noqa: S603
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"leadtracker serve exited with {server.returncode}; see {log.name}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return server
        except OSError:
            time.sleep(0.3)
    server.terminate()
    raise RuntimeError("leadtracker serve did not answer /healthz within 120 s")


class Recorder:
    def __init__(self):
        self.lock = threading.Lock()
        self.samples: dict[str, list[float]] = {}
        self.errors: list[str] = []

    def add(self, kind: str, seconds: float, error: str | None = None):
        with self.lock:
            self.samples.setdefault(kind, []).append(seconds)
            if error:
                self.errors.append(f"{kind}: {error}")


def request(conn_box, port, method, path, body=None, headers=None):
    """One request on a kept-alive connection (reopened once if the server closed it)."""
    for attempt in (1, 2):
        if conn_box[0] is None:
            conn_box[0] = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        try:
            conn_box[0].request(method, path, body=body, headers=headers or {})
            response = conn_box[0].getresponse()
            return response, response.read()
        except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
            conn_box[0].close()
            conn_box[0] = None
            if attempt == 2:
                raise
        except (OSError, http.client.HTTPException):
            # A timeout leaves the connection mid-request: never reuse it.
            conn_box[0].close()
            conn_box[0] = None
            raise
    raise AssertionError("unreachable")


def phone(port, token, index, stop_at, rec: Recorder, rng: random.Random):
    conn = [None]
    row = 0
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    time.sleep(rng.uniform(0, SYNC_EVERY))  # phones do not all wake at once
    while time.monotonic() < stop_at:
        began = time.monotonic()
        calls = []
        for _ in range(rng.randint(0, 4)):  # the calls made since the last sync
            row += 1
            kind = rng.choice(["outgoing", "outgoing", "incoming", "missed"])
            number = f"+9198{index:04d}{rng.randint(0, 6):04d}"  # mostly its leads, some unknown
            calls.append(
                {
                    "device_call_id": str(row),
                    "number": number,
                    "type": kind,
                    "started_at": (
                        dt.datetime.now(dt.UTC) - dt.timedelta(seconds=rng.randint(5, 25))
                    ).isoformat(),
                    "duration_s": 0 if kind == "missed" else rng.randint(5, 300),
                }
            )
        try:
            response, body = request(
                conn, port, "POST", "/api/v1/calls/sync", json.dumps({"calls": calls}), headers
            )
            error = None if response.status == 200 else f"{response.status} {body[:200]!r}"
        except (OSError, http.client.HTTPException) as exc:
            error = repr(exc)
        rec.add("sync", time.monotonic() - began, error)
        time.sleep(max(0.0, min(stop_at - time.monotonic(), SYNC_EVERY - (time.monotonic() - began))))


def log_in(port, email) -> str:
    conn = [None]
    response, body = request(conn, port, "GET", "/login/")
    cookies = dict(re.findall(r"(csrftoken)=([^;]+)", response.getheader("Set-Cookie") or ""))
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1).decode()
    form = urlencode({"email": email, "password": PASSWORD, "csrfmiddlewaretoken": token})
    response, _ = request(
        conn,
        port,
        "POST",
        "/login/",
        form,
        {
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": f"csrftoken={cookies['csrftoken']}",
            "Referer": f"http://127.0.0.1:{port}/login/",
        },
    )
    session = re.search(r"sessionid=([^;]+)", response.getheader("Set-Cookie") or "")
    if response.status != 302 or not session:
        raise RuntimeError(f"login of {email} failed: {response.status}")
    return f"sessionid={session.group(1)}; csrftoken={cookies['csrftoken']}"


def manager(port, email, pages, stop_at, rec: Recorder, rng: random.Random):
    cookie = log_in(port, email)
    conn = [None]
    time.sleep(rng.uniform(0, PAGE_EVERY))
    turn = 0
    while time.monotonic() < stop_at:
        began = time.monotonic()
        path = pages[turn % len(pages)]
        turn += 1
        try:
            response, body = request(conn, port, "GET", path, headers={"Cookie": cookie})
            error = None if response.status == 200 else f"{response.status} {path}"
        except (OSError, http.client.HTTPException) as exc:
            error = repr(exc)
        rec.add(f"page {path}", time.monotonic() - began, error)
        time.sleep(max(0.0, min(stop_at - time.monotonic(), PAGE_EVERY - (time.monotonic() - began))))


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def machine() -> str:
    cpu = platform.processor() or "?"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    kb = int(Path("/proc/meminfo").read_text().split()[1])
    return f"{os.cpu_count()} cores ({cpu}), {kb / 1024 / 1024:.0f} GiB, Python {platform.python_version()}"


def main() -> int:
    print(
        f"Preparing {DEVICES} phones and {MANAGERS} managers in {DATABASE_URL.rsplit('@', 1)[-1]} …",
        flush=True,
    )
    data = prepare()
    from django.urls import NoReverseMatch, reverse

    try:
        pages = [reverse("dashboard")]
    except NoReverseMatch:
        pages = ["/leads/", "/calls/"]
    results = ROOT / "bench" / "results"
    results.mkdir(parents=True, exist_ok=True)
    port = free_port()
    with open(results / "loadtest-server.log", "w") as log:
        server = start_server(port, log)
        try:
            rec = Recorder()
            load_before = os.getloadavg()
            began = time.monotonic()
            stop_at = began + SECONDS
            rng = random.Random(8)
            threads = [
                threading.Thread(
                    target=phone, args=(port, t, i, stop_at, rec, random.Random(rng.random())), daemon=True
                )
                for i, t in enumerate(data["phones"])
            ] + [
                threading.Thread(
                    target=manager,
                    args=(port, e, pages, stop_at, rec, random.Random(rng.random())),
                    daemon=True,
                )
                for e in data["managers"]
            ]
            for t in threads:
                t.start()
            for t in threads:
                t.join(timeout=SECONDS + 120)
            wall = time.monotonic() - began
            load_after = os.getloadavg()
        finally:
            server.send_signal(signal.SIGTERM)
            try:
                server.wait(timeout=60)
            except subprocess.TimeoutExpired:
                server.kill()
    all_samples = [s for values in rec.samples.values() for s in values]
    rows = []
    for kind, values in sorted(rec.samples.items()) + [("all", all_samples)]:
        rows.append(
            {
                "kind": kind,
                "requests": len(values),
                "per_s": round(len(values) / wall, 2),
                "p50_ms": round(percentile(values, 50) * 1000, 1),
                "p95_ms": round(percentile(values, 95) * 1000, 1),
                "p99_ms": round(percentile(values, 99) * 1000, 1),
                "max_ms": round(max(values) * 1000, 1),
                "mean_ms": round(statistics.fmean(values) * 1000, 1),
            }
        )
    report = {
        "devices": DEVICES,
        "managers": MANAGERS,
        "seconds": round(wall, 1),
        "pages": pages,
        "machine": machine(),
        "load_average_before": [round(x, 2) for x in load_before],
        "load_average_after": [round(x, 2) for x in load_after],
        "errors": len(rec.errors),
        "first_errors": rec.errors[:20],
        "rows": rows,
    }
    (results / "loadtest.json").write_text(json.dumps(report, indent=2))
    head = "| kind | requests | per s | p50 ms | p95 ms | p99 ms | max ms |\n|---|---|---|---|---|---|---|\n"
    table = head + "".join(
        "| "
        + " | ".join(str(r[k]) for k in ("kind", "requests", "per_s", "p50_ms", "p95_ms", "p99_ms", "max_ms"))
        + " |\n"
        for r in rows
    )
    (results / "loadtest.md").write_text(table)
    print(table)
    print(
        f"{len(rec.errors)} errors in {wall:.0f} s on {report['machine']}; "
        f"load average {load_before} → {load_after}"
    )
    for error in rec.errors[:20]:
        print("  ", error)
    return 1 if rec.errors else 0


if __name__ == "__main__":
    sys.exit(main())
