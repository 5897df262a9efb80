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

LOADTEST_MODE=mixed (issue 15, item 10) is the SQLite case instead: LOADTEST_CLIENTS (50) clients,
of which LOADTEST_SYNC_CLIENTS (a fifth) are phones each sending a batch of 500 new call-log rows
every LOADTEST_SYNC_EVERY s (15; one batch in four is the previous one resent), and the rest
managers opening the leads list, the calls list and a lead's page in turn every LOADTEST_PAGE_EVERY
s (5), against LOADTEST_LEADS (20,000) leads. The database defaults to a SQLite file under
/tmp/leadtracker-loadtest/. Besides the latencies it checks that every call acknowledged is stored
once: the calls in the database must be exactly the distinct calls the server said it stored.

    LOADTEST_MODE=mixed LOADTEST_SECONDS=120 make loadtest
    LOADTEST_MODE=mixed LOADTEST_CODE=/tmp/old-sync LOADTEST_LABEL=before .venv/bin/python scripts/loadtest.py

LOADTEST_CODE serves (and migrates with) another checkout of the code, e.g. a `git worktree` of an
older revision, so two revisions are measured with the same script back to back; LOADTEST_LABEL
names the result files (bench/results/loadtest-<label>.{json,md}).
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
# The code served: this checkout, or another one (a worktree of an older revision).
CODE = Path(os.environ.get("LOADTEST_CODE", str(ROOT))).resolve()
MODE = os.environ.get("LOADTEST_MODE", "phones")
MIXED = MODE == "mixed"
SECONDS = int(os.environ.get("LOADTEST_SECONDS", "300"))
if MIXED:
    CLIENTS = int(os.environ.get("LOADTEST_CLIENTS", "50"))
    DEVICES = int(os.environ.get("LOADTEST_SYNC_CLIENTS", str(max(1, CLIENTS // 5))))
    MANAGERS = max(1, CLIENTS - DEVICES)
    SYNC_EVERY = float(os.environ.get("LOADTEST_SYNC_EVERY", "15"))
    PAGE_EVERY = float(os.environ.get("LOADTEST_PAGE_EVERY", "5"))
else:
    DEVICES = int(os.environ.get("LOADTEST_DEVICES", "200"))
    MANAGERS = int(os.environ.get("LOADTEST_MANAGERS", "20"))
    SYNC_EVERY = 30.0
    PAGE_EVERY = 15.0
LEADS = int(os.environ.get("LOADTEST_LEADS", "20000"))
BATCH = 500
RESEND_EVERY = 4  # every fourth batch of a phone in mixed mode is the previous one sent again
SHIFT_HOURS = 11  # how far back the phones' shifts (and their calls) reach
DATABASE_URL = os.environ.get(
    "LOADTEST_DATABASE_URL",
    "sqlite:////tmp/leadtracker-loadtest/loadtest.sqlite3"
    if MIXED
    else "postgres://postgres@127.0.0.1:5432/leadtracker_loadtest",
)
LABEL = os.environ.get("LOADTEST_LABEL", "")
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
    # A phone sends a batch every few seconds here; the per-device limit (30 a minute) is not
    # what is measured. Its check (one upsert a request) still runs.
    "SYNC_RATE_PER_DEVICE": "1000000/m",
    "API_RATE_AUTHENTICATED": "1000000/m",
    # The code served (LOADTEST_CODE) comes first on the server's path.
    "PYTHONPATH": str(CODE),
}


def prepare() -> dict:
    """A fresh database with the organisation, its people, phones and open shifts."""
    os.environ.update(DATABASE_URL=DATABASE_URL)
    sys.path.insert(0, str(ROOT))
    sys.path.insert(0, str(CODE))
    if DATABASE_URL.startswith("sqlite:///"):
        Path(DATABASE_URL[len("sqlite:///") :]).parent.mkdir(parents=True, exist_ok=True)
    from bench.db import fresh_database

    if MIXED:
        fresh_database()
        return prepare_mixed()

    fresh_database()
    from django.contrib.auth.hashers import make_password
    from django.utils import timezone

    from leadtracker.accounts.actions import create_organisation
    from leadtracker.accounts.audit import Actor
    from leadtracker.accounts.models import Membership, Role, User
    from leadtracker.attendance.models import Shift
    from leadtracker.calls.actions import create_pairing_code, pair_device
    from leadtracker.leads.actions.leads import LeadData, create_lead

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


def prepare_mixed() -> dict:
    """Mixed mode: managers each with a team of agents, LEADS leads owned by the agents, and the
    first DEVICES agents on shift with a paired phone."""
    from django.contrib.auth.hashers import make_password
    from django.db import transaction
    from django.utils import timezone

    import bench.bench_leads_list as leads_bench
    from bench.bench_sync import pick_numbers
    from leadtracker.accounts.actions import create_organisation
    from leadtracker.accounts.audit import Actor
    from leadtracker.accounts.models import Membership, Role, User
    from leadtracker.attendance.models import Shift
    from leadtracker.calls.actions import create_pairing_code, pair_device
    from leadtracker.leads.models import Lead, LeadStatus

    org, owner = create_organisation(
        name="Load Test", slug="load", owner_email="owner@load.test", owner_name="Owner", password=PASSWORD
    )
    hashed = make_password(PASSWORD)
    managers = [
        Membership.objects.create(
            organisation=org,
            user=User.objects.create(
                email=f"manager{m}@load.test", full_name=f"Manager {m}", password=hashed
            ),
            role=Role.MANAGER,
            reports_to=owner,
        )
        for m in range(MANAGERS)
    ]
    agents = [
        Membership.objects.create(
            organisation=org,
            user=User.objects.create(email=f"agent{a}@load.test", full_name=f"Agent {a}", password=hashed),
            role=Role.AGENT,
            reports_to=managers[a % MANAGERS],
        )
        for a in range(max(DEVICES, MANAGERS))
    ]
    leads_bench.N_LEADS = LEADS
    with transaction.atomic():
        leads_bench.load(org, list(LeadStatus.objects.filter(organisation=org)), [a.user_id for a in agents])
    shift_start = timezone.now() - dt.timedelta(hours=SHIFT_HOURS, minutes=10)
    phones = []
    for a in agents[:DEVICES]:
        Shift.objects.create(organisation=org, user=a.user, started_at=shift_start)
        _code, raw = create_pairing_code(a, actor=Actor.system(), by=None)
        _device, token = pair_device(raw, name=f"Phone {a.pk}", platform="android", actor=Actor.system())
        phones.append(token)
    # Each manager opens leads of their own team (a lead of someone else's team answers 404).
    team_leads = {}
    for m in managers:
        owners = [a.user_id for a in agents if a.reports_to_id == m.pk]
        team_leads[m.user.email] = list(
            Lead.objects.filter(organisation=org, owner_id__in=owners)
            .order_by("?")
            .values_list("id", flat=True)[:200]
        )
    expected_calls = int((SECONDS / SYNC_EVERY + 2) * BATCH)
    leads, unknown = pick_numbers(org, random.Random(3), min(expected_calls, 20 * BATCH))
    return {
        "phones": phones,
        "managers": [m.user.email for m in managers],
        "team_leads": team_leads,
        "numbers": (leads, unknown),
        "first_call_at": shift_start + dt.timedelta(minutes=5),
        "spacing_s": max(1.0, SHIFT_HOURS * 3600 / expected_calls),
    }


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(port: int, log):
    env = dict(os.environ, **SERVER_ENV)
    command = [str(Path(sys.executable).parent / "leadtracker"), "serve", "--bind", f"127.0.0.1:{port}"]
    # Our own command from this venv, no shell.
    server = subprocess.Popen(command, cwd=CODE, env=env, stdout=log, stderr=subprocess.STDOUT)  # noqa: S603
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

        self.began = time.monotonic()
        self.slowest: list[tuple[float, str, float]] = []  # (seconds, kind, began at s into the run)
        self.stored = 0  # calls the server said it stored (mixed mode)
        self.acknowledged: set[tuple[int, str]] = set()  # (phone, device_call_id) answered for
        self.unanswered: set[tuple[int, str]] = set()  # sent in a batch that failed

    def add(self, kind: str, seconds: float, error: str | None = None):
        with self.lock:
            self.samples.setdefault(kind, []).append(seconds)
            self.slowest.append((round(seconds, 2), kind, round(time.monotonic() - seconds - self.began, 1)))
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


def sync_phone(port, token, index, data, stop_at, rec: Recorder, rng: random.Random):
    """Mixed mode: a phone sending 500 new calls every SYNC_EVERY s; every fourth batch is the
    previous one again (a phone that did not hear the answer), which must store nothing."""
    conn = [None]
    leads, unknown = data["numbers"]
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    row, previous, turn = 0, None, 0
    moment = data["first_call_at"] + dt.timedelta(seconds=index)  # phones do not share a second
    time.sleep(rng.uniform(0, SYNC_EVERY))
    while time.monotonic() < stop_at:
        turn += 1
        if previous is not None and turn % RESEND_EVERY == 0:
            calls = previous
        else:
            calls = []
            for _ in range(BATCH):
                row += 1
                moment = min(moment + dt.timedelta(seconds=data["spacing_s"]), dt.datetime.now(dt.UTC))
                national = rng.choice(leads) if rng.random() < 0.7 else rng.choice(unknown)
                kind = rng.choice(["outgoing", "outgoing", "incoming", "missed"])
                calls.append(
                    {
                        "device_call_id": str(row),
                        "number": "+91" + national,
                        "type": kind,
                        "started_at": moment.isoformat(),
                        "duration_s": 0 if kind == "missed" else rng.randint(5, 300),
                    }
                )
            previous = calls
        began = time.monotonic()
        answer = None
        try:
            response, body = request(
                conn, port, "POST", "/api/v1/calls/sync", json.dumps({"calls": calls}), headers
            )
            if response.status == 200:
                answer, error = json.loads(body), None
            else:
                error = f"{response.status} {body[:200]!r}"
        except (OSError, http.client.HTTPException) as exc:
            error = repr(exc)
        rec.add("sync 500", time.monotonic() - began, error)
        ids = {(index, c["device_call_id"]) for c in calls}
        with rec.lock:
            if answer is not None:
                rec.stored += answer["stored"]
                rec.acknowledged |= ids
            else:
                rec.unanswered |= ids
        time.sleep(max(0.0, min(stop_at - time.monotonic(), SYNC_EVERY - (time.monotonic() - began))))


def browsing_manager(port, cookie, lead_ids, stop_at, rec: Recorder, rng: random.Random):
    """Mixed mode: a manager opening the leads list, the calls list and a lead's page in turn."""
    conn = [None]
    time.sleep(rng.uniform(0, PAGE_EVERY))
    turn = rng.randrange(3)
    while time.monotonic() < stop_at:
        began = time.monotonic()
        kind, path = [
            ("list /leads/", "/leads/"),
            ("list /calls/", "/calls/"),
            ("lead page", f"/leads/{rng.choice(lead_ids)}/" if lead_ids else "/leads/"),
        ][turn % 3]
        turn += 1
        try:
            response, body = request(conn, port, "GET", path, headers={"Cookie": cookie})
            error = None if response.status == 200 else f"{response.status} {path}"
        except (OSError, http.client.HTTPException) as exc:
            error = repr(exc)
        rec.add(kind, time.monotonic() - began, error)
        time.sleep(max(0.0, min(stop_at - time.monotonic(), PAGE_EVERY - (time.monotonic() - began))))


def sign_in_all(port, data) -> dict:
    """Mixed mode: every manager signs in before the clock starts (a sign-in hashes a password
    with Argon2, which is not what is measured), and each page is opened a few times so that no
    worker answers its first request (imports, templates) inside the measured minutes."""
    cookies, lock = {}, threading.Lock()

    def one(email):
        cookie = log_in(port, email)
        conn = [None]
        for path in ("/leads/", "/calls/", f"/leads/{data['team_leads'][email][0]}/"):
            request(conn, port, "GET", path, headers={"Cookie": cookie})
        with lock:
            cookies[email] = cookie

    threads = [threading.Thread(target=one, args=(e,)) for e in data["managers"]]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return cookies


def check_stored(rec: Recorder) -> dict:
    """Nothing lost, nothing doubled: the database holds each acknowledged call once, and
    exactly as many calls as the server said it stored (a resent batch stores nothing)."""
    from django.db import connection

    from leadtracker.calls.models import Call

    connection.close()  # the server wrote since this process last looked
    in_db = Call.objects.count()
    distinct = Call.objects.values("device_id", "device_call_id").distinct().count()
    acknowledged = len(rec.acknowledged)
    return {
        "calls_in_database": in_db,
        "distinct_calls_in_database": distinct,
        "stored_answered": rec.stored,
        "distinct_calls_acknowledged": acknowledged,
        "sent_in_failed_batches_only": len(rec.unanswered - rec.acknowledged),
        # Calls sent only in failed batches may or may not be there; everything else must be.
        "ok": in_db == distinct
        and acknowledged <= in_db <= acknowledged + len(rec.unanswered - rec.acknowledged)
        and (rec.unanswered or in_db == rec.stored),
    }


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


def revision() -> str:
    try:
        # git from PATH on our own checkout, no shell.
        return subprocess.run(  # noqa: S603
            ["git", "-C", str(CODE), "rev-parse", "--short", "HEAD"],  # noqa: S607
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "?"


def main() -> int:
    print(
        f"Preparing {DEVICES} phones and {MANAGERS} managers in {DATABASE_URL.rsplit('@', 1)[-1]} "
        f"({MODE} mode, code of {CODE} at {revision()}) …",
        flush=True,
    )
    data = prepare()
    from django.urls import NoReverseMatch, reverse

    try:
        pages = [reverse("dashboard")]
    except NoReverseMatch:
        pages = ["/leads/", "/calls/"]
    if MIXED:
        pages = ["/leads/", "/calls/", "/leads/<id>/"]
    results = ROOT / "bench" / "results"
    results.mkdir(parents=True, exist_ok=True)
    name = "loadtest" + (f"-{LABEL}" if LABEL else "")
    port = free_port()
    with open(results / f"{name}-server.log", "w") as log:
        server = start_server(port, log)
        try:
            cookies = sign_in_all(port, data) if MIXED else {}
            rec = Recorder()
            load_before = os.getloadavg()
            began = time.monotonic()
            stop_at = began + SECONDS
            rng = random.Random(8)
            if MIXED:
                seeds = [random.Random(rng.random()) for _ in range(DEVICES + MANAGERS)]
                threads = [
                    threading.Thread(
                        target=sync_phone,
                        args=(port, t, i, data, stop_at, rec, seeds[i]),
                        daemon=True,
                    )
                    for i, t in enumerate(data["phones"])
                ] + [
                    threading.Thread(
                        target=browsing_manager,
                        args=(port, cookies[e], data["team_leads"][e], stop_at, rec, seeds[DEVICES + j]),
                        daemon=True,
                    )
                    for j, e in enumerate(data["managers"])
                ]
            else:
                threads = [
                    threading.Thread(
                        target=phone,
                        args=(port, t, i, stop_at, rec, random.Random(rng.random())),
                        daemon=True,
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
        "mode": MODE,
        "database": DATABASE_URL.rsplit("@", 1)[-1],
        "code": str(CODE),
        "revision": revision(),
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
        "slowest": sorted(rec.slowest, reverse=True)[:15],
    }
    if MIXED:
        report.update(
            leads=LEADS,
            batch=BATCH,
            sync_every_s=SYNC_EVERY,
            page_every_s=PAGE_EVERY,
            stored=check_stored(rec),
        )
    (results / f"{name}.json").write_text(json.dumps(report, indent=2))
    head = "| kind | requests | per s | p50 ms | p95 ms | p99 ms | max ms |\n|---|---|---|---|---|---|---|\n"
    table = head + "".join(
        "| "
        + " | ".join(str(r[k]) for k in ("kind", "requests", "per_s", "p50_ms", "p95_ms", "p99_ms", "max_ms"))
        + " |\n"
        for r in rows
    )
    (results / f"{name}.md").write_text(
        f"{MODE} mode, {DEVICES} phones and {MANAGERS} managers, {report['database']}, "
        f"code at {report['revision']}, {wall:.0f} s; load average {report['load_average_before']} → "
        f"{report['load_average_after']}\n\n" + table
    )
    print(table)
    print(
        f"{len(rec.errors)} errors in {wall:.0f} s on {report['machine']}; "
        f"load average {load_before} → {load_after}"
    )
    for error in rec.errors[:20]:
        print("  ", error)
    failed = bool(rec.errors)
    if MIXED:
        print("stored:", json.dumps(report["stored"]))
        failed = failed or not report["stored"]["ok"]
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
