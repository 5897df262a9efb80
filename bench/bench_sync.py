"""Call sync at a million leads, through the real HTTP stack: 100,000 call-log rows sent by one
paired phone in batches of 500 to POST /api/v1/calls/sync of a gunicorn server (a process of
its own on 127.0.0.1, DEBUG off), one request after another. Compared, in the same run, with the
raw database driver inserting the same 100,000 rows (the columns the server writes) into the
same table in one transaction, so the ratio is what the API adds, whatever the machine's speed.

Then a few more batches go through the same request in this process (Django's test client)
to count their queries and to profile where the server's time goes.

    python -m bench.bench_sync                        # both databases, full size
    python -m bench.bench_sync --db sqlite --leads 100000 --calls 10000   # a quick run
    python -m bench bench_sync                        # as `make bench` runs it

The database is its own (var/sync.sqlite3, leadtracker_bench_sync); --reuse keeps it (and its
leads) between runs when it holds the same number of leads, so only the calls are redone.
"""

import argparse
import cProfile
import datetime as dt
import http.client
import io
import json
import os
import platform
import pstats
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.harness import RESULTS, each_database, stop_server, summary, wait_healthy, write

NAME = "sync"
ROOT = Path(__file__).resolve().parent.parent
BATCH = 500
IST = dt.timezone(dt.timedelta(hours=5, minutes=30))
SPACING_S = 12  # one call every 12 s on average (each gets its own second)
N_AGENTS = 20
# In-process batches after the HTTP run: 1 counting queries, 2 timed, 3 profiled.
PROFILE_BATCHES = 6
APP_VERSION, OS_VERSION = "1.4.0", "Android 14"
PG_DEFAULT = "postgres://postgres@127.0.0.1:5432/leadtracker_bench"
SETTINGS_ENV = {
    "DEBUG": "False",
    "SECURE_SSL_REDIRECT": "false",
    "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
    # The throttle still does its one upsert per request; the rate is only raised so that a
    # fast run of more than 1,200 batches a minute is not answered 429.
    "API_RATE_AUTHENTICATED": "1000000/m",
    # One phone sends 200 batches in a row here; the per-device limit (30 a minute) would answer
    # 429 from the 31st. Its check still runs, like the other throttle's.
    "SYNC_RATE_PER_DEVICE": "1000000/m",
}


# --- databases ---------------------------------------------------------------------------


def database_url(label: str) -> str:
    """This benchmark's own database: var/sync.sqlite3 or leadtracker_bench_sync, next to the
    one `python -m bench` names (or the default) — never the shared one."""
    given = os.environ.get("DATABASE_URL", "")
    if label == "sqlite":
        folder = Path(given[len("sqlite:///") :]).parent if given.startswith("sqlite:///") else ROOT / "var"
        return f"sqlite:///{folder / f'{NAME}.sqlite3'}"
    base = given if given.startswith("postgres") else os.environ.get("BENCH_DATABASE_URL", PG_DEFAULT)
    return base.rsplit("/", 1)[0] + f"/leadtracker_bench_{NAME}"


def pg_reachable(url: str) -> bool:
    try:
        import psycopg

        psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", connect_timeout=3).close()
        return True
    except Exception:
        return False


def raw_connect(url: str):
    """The database driver itself, no Django."""
    if url.startswith("sqlite:///"):
        import sqlite3

        conn = sqlite3.connect(url[len("sqlite:///") :], isolation_level=None)
        # The same settings the server's connections use (leadtracker/settings.py).
        conn.execute("PRAGMA synchronous=NORMAL")
        conn.execute("PRAGMA foreign_keys=ON")
        return conn
    import psycopg

    return psycopg.connect(url)


def exists(url: str) -> bool:
    if url.startswith("sqlite:///"):
        return os.path.exists(url[len("sqlite:///") :])
    import psycopg

    base, name = url.rsplit("/", 1)
    with psycopg.connect(base + "/postgres", autocommit=True) as conn:
        return conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is not None


def prepare(n_leads: int, reuse: bool) -> tuple[str, float]:
    """A migrated database with the organisation "bench" and ``n_leads`` leads, each with its
    number; calls, call-backs, shifts and phones of earlier runs removed. Answers how it was
    made and the seconds loading the leads took."""
    import django

    url = os.environ["DATABASE_URL"]
    if reuse and exists(url):
        django.setup()
        from django.core.management import call_command

        call_command("migrate", verbosity=0, interactive=False)
        from leadtracker.accounts.models import Organisation
        from leadtracker.leads.models import Lead, LeadPhone

        org = Organisation.objects.filter(slug="bench").first()
        if (
            org is not None
            and Lead.objects.filter(organisation=org).count() == n_leads
            and LeadPhone.objects.filter(organisation=org).count() == n_leads
        ):
            reset(org)
            return "reused", 0.0
        # Not what we need: start again from nothing.
        from django.db import connection

        connection.close()
    from bench.db import fresh_database

    fresh_database()
    return "fresh", generate(n_leads)


def generate(n_leads: int) -> float:
    from django.db import transaction

    import bench.bench_leads_list as leads_bench
    from leadtracker.accounts.actions import create_organisation
    from leadtracker.accounts.models import Membership, Role, User
    from leadtracker.leads.models import LeadStatus

    org, owner = create_organisation(name="Bench", slug="bench", owner_email="owner@bench.in")
    users = User.objects.bulk_create(
        [User(email=f"a{i}@bench.in", full_name=f"Agent {i}") for i in range(N_AGENTS)]
    )
    Membership.objects.bulk_create(
        [Membership(organisation=org, user=u, role=Role.AGENT, reports_to=owner) for u in users]
    )
    statuses = list(LeadStatus.objects.filter(organisation=org))
    # The leads benchmark's bulk loader (COPY on PostgreSQL, executemany on SQLite).
    leads_bench.N_LEADS = n_leads
    with transaction.atomic():
        seconds, _numbers = leads_bench.load(org, statuses, [u.pk for u in users])
    return seconds


def reset(org) -> None:
    """Undo what an earlier run of this benchmark wrote, keeping the leads."""
    from django.db import connection

    from leadtracker.attendance.models import Shift
    from leadtracker.calls.models import Call, CallBack, Device, UsageDay

    CallBack.objects.filter(organisation=org).delete()
    with connection.cursor() as cur:
        cur.execute("DELETE FROM calls_call WHERE organisation_id = %s", [org.pk])
        cur.execute(
            "UPDATE leads_lead SET last_contacted_at = NULL "
            "WHERE organisation_id = %s AND last_contacted_at IS NOT NULL",
            [org.pk],
        )
    assert not Call.objects.filter(organisation=org).exists()
    UsageDay.objects.filter(organisation=org).delete()
    Shift.objects.filter(organisation=org).delete()
    Device.objects.filter(organisation=org).delete()
    vacuum()


def vacuum() -> None:
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("VACUUM ANALYZE calls_call")
            cur.execute("VACUUM ANALYZE calls_callback")
            cur.execute("VACUUM ANALYZE leads_lead")


# --- the phone and its calls ---------------------------------------------------------------


def pair_phone(org):
    """An agent with a phone paired the way a person pairs one (code, then exchange)."""
    from leadtracker.accounts.audit import Actor
    from leadtracker.accounts.models import Membership, Role
    from leadtracker.calls.actions import create_pairing_code, pair_device

    member = (
        Membership.objects.select_related("organisation", "user")
        .filter(organisation=org, role=Role.AGENT, is_active=True)
        .order_by("id")
        .first()
    )
    _code, raw_code = create_pairing_code(member, actor=Actor.system(), by=None)
    device, token = pair_device(
        raw_code,
        name="Bench phone",
        platform="android",
        os_version=OS_VERSION,
        app_version=APP_VERSION,
        actor=Actor.system(),
    )
    return member, device, token


def pick_numbers(org, rng: random.Random, n_calls: int) -> tuple[list[str], list[str]]:
    """National numbers (10 digits): some of the organisation's leads, some nobody knows.
    Only numbers libphonenumber takes as valid Indian mobiles, so that matching is exact."""
    import phonenumbers
    from django.db import connection

    def valid(national: str) -> bool:
        return phonenumbers.is_valid_number(phonenumbers.parse("+91" + national, None))

    with connection.cursor() as cur:
        cur.execute("SELECT e164 FROM leads_leadphone WHERE organisation_id = %s ORDER BY id", [org.pk])
        known = [row[0] for row in cur.fetchall()]
    taken = set(known)
    known_national = [e[3:] for e in known if e.startswith("+91")]
    # A lead is called 2.5 times on average, an unknown number 1.5 times.
    want = max(1, int(n_calls * 0.7 / 2.5))
    leads = []
    for national in rng.sample(known_national, min(len(known_national), want * 2)):
        if valid(national):
            leads.append(national)
            if len(leads) == want:
                break
    unknown, seen = [], set()
    want = max(1, int(n_calls * 0.3 / 1.5))
    while len(unknown) < want:
        national = str(rng.randint(6_000_000_000, 9_999_999_999))
        if national not in seen and "+91" + national not in taken and valid(national):
            seen.add(national)
            unknown.append(national)
    return leads, unknown


def as_dialled(national: str, rng: random.Random) -> str:
    """The number as a phone's call log has it: mostly +91…, sometimes with a trunk 0 or spaced."""
    x = rng.random()
    if x < 0.80:
        return "+91" + national
    if x < 0.88:
        return "0" + national
    if x < 0.95:
        return f"{national[:5]} {national[5:]}"
    return f"+91 {national[:5]} {national[5:]}"


def make_calls(n: int, leads: list[str], unknown: list[str], first: dt.datetime, rng: random.Random):
    """``n`` call-log rows in the protocol's shape, oldest first, each in a second of its own.
    Answers the rows and, for each, whether its number is a lead's."""
    calls, with_lead = [], []
    for i in range(n):
        with_lead.append(rng.random() < 0.70)
        national = rng.choice(leads) if with_lead[-1] else rng.choice(unknown)
        x = rng.random()
        # An outbound sales team: mostly dialling out, a quarter of calls coming in.
        if x < 0.55:
            kind = "outgoing"
            duration = 0 if rng.random() < 0.40 else int(rng.lognormvariate(4.5, 0.9)) + 5
        elif x < 0.80:
            kind = "incoming"
            duration = 0 if rng.random() < 0.05 else int(rng.lognormvariate(4.7, 0.9)) + 5
        elif x < 0.95:
            kind, duration = "missed", 0
        else:
            kind, duration = "rejected", 0
        moment = first + dt.timedelta(seconds=i * SPACING_S + rng.randrange(SPACING_S))
        calls.append(
            {
                "device_call_id": str(100_000 + i),
                "number": as_dialled(national, rng),
                "type": kind,
                "started_at": moment.astimezone(IST).isoformat(),
                "duration_s": min(duration, 7200),
            }
        )
    return calls, with_lead


# --- the server ----------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(port: int, workers: int, log):
    env = dict(os.environ, **SETTINGS_ENV)
    # The code next to this file, whichever checkout that is.
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    command = [
        str(Path(sys.executable).parent / "gunicorn"),
        "leadtracker.wsgi:application",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--worker-class",
        "sync",
        "--timeout",
        "120",
        "--log-level",
        "warning",
    ]
    server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    wait_healthy(server, port, 60, "gunicorn")
    return server


def post_batches(port: int, token: str, bodies: list[bytes], batch_sizes: list[int]):
    """Send each body in turn over one kept connection (reopened when the server closes it).
    Answers the per-batch milliseconds, the summed counts and the wall seconds."""
    headers = {
        "Authorization": f"Bearer {token}",
        "Content-Type": "application/json",
        "X-App-Version": APP_VERSION,
        "X-OS": OS_VERSION,
    }
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    totals = {"received": 0, "stored": 0, "duplicates": 0, "outside_shift": 0, "rejected": 0}
    latencies = []
    started = time.perf_counter()
    for body, size in zip(bodies, batch_sizes, strict=True):
        t0 = time.perf_counter()
        conn.request("POST", "/api/v1/calls/sync", body=body, headers=headers)
        response = conn.getresponse()
        data = response.read()
        latencies.append((time.perf_counter() - t0) * 1000)
        if response.status != 200:
            raise AssertionError(f"batch {len(latencies)}: HTTP {response.status}: {data[:500]!r}")
        counts = json.loads(data)
        assert counts["received"] == size, counts
        assert (
            counts["stored"] + counts["duplicates"] + counts["outside_shift"] + len(counts["rejected"])
            == counts["received"]
        ), counts
        for key in ("received", "stored", "duplicates", "outside_shift"):
            totals[key] += counts[key]
        totals["rejected"] += len(counts["rejected"])
    wall = time.perf_counter() - started
    conn.close()
    return latencies, totals, wall


# --- the raw baseline ----------------------------------------------------------------------


def raw_baseline(url: str, org_id: int) -> dict[str, float]:
    """Read back what the server stored, then, for each way the driver has, delete it and
    insert the same rows again with the database driver alone, in one transaction (commit
    and PostgreSQL's deferred foreign-key checks included). PostgreSQL: multi-row INSERTs of
    500, and executemany (psycopg pipelines it); SQLite: executemany. Answers rows/s by way."""
    from leadtracker.calls.sync import COLUMNS

    columns = ", ".join(COLUMNS)
    pg = not url.startswith("sqlite:///")
    mark = "%s" if pg else "?"
    one = "(" + ", ".join([mark] * len(COLUMNS)) + ")"
    conn = raw_connect(url)
    cur = conn.cursor()
    cur.execute(f"SELECT {columns} FROM calls_call WHERE organisation_id = {mark} ORDER BY id", [org_id])  # noqa: S608
    rows = cur.fetchall()
    if pg:
        conn.commit()
    out = {}
    for way in ("multi-row INSERT of 500", "executemany") if pg else ("executemany",):
        cur.execute(f"DELETE FROM calls_callback WHERE organisation_id = {mark}", [org_id])  # noqa: S608
        cur.execute(f"DELETE FROM calls_call WHERE organisation_id = {mark}", [org_id])  # noqa: S608
        if pg:
            conn.commit()
            conn.autocommit = True
            cur.execute("VACUUM ANALYZE calls_call")
            cur.execute("VACUUM ANALYZE calls_callback")
            conn.autocommit = False
        started = time.perf_counter()
        if not pg:
            cur.execute("BEGIN IMMEDIATE")
        if way == "executemany":
            cur.executemany(f"INSERT INTO calls_call ({columns}) VALUES {one}", rows)  # noqa: S608
        else:
            for start in range(0, len(rows), BATCH):
                chunk = rows[start : start + BATCH]
                params = [value for row in chunk for value in row]
                values = ", ".join([one] * len(chunk))
                cur.execute(f"INSERT INTO calls_call ({columns}) VALUES {values}", params)  # noqa: S608
        if pg:
            conn.commit()
        else:
            cur.execute("COMMIT")
        out[way] = len(rows) / (time.perf_counter() - started)
        cur.execute(f"SELECT count(*) FROM calls_call WHERE organisation_id = {mark}", [org_id])  # noqa: S608
        assert cur.fetchone()[0] == len(rows)
        if pg:
            conn.commit()
    conn.close()
    return out


# --- in-process: queries and profile ------------------------------------------------------


def watched():
    """What to time inside one request: (owner, attribute, title)."""
    from leadtracker.accounts import throttle
    from leadtracker.calls import actions, api, callbacks, sync

    return [
        (api.DeviceAuth, "authenticate", "auth: token, membership, device (3 SELECTs)"),
        (throttle._WindowThrottle, "allow_request", "throttle upsert (x2 throttles)"),
        (sync, "sync", "sync.sync: the batch after JSON parsing"),
        (sync, "clean_row", "  clean_row x500: validate, parse time, number"),
        (sync, "_number", "    _number: libphonenumber (cached within the batch)"),
        (sync, "_store", "  _store: inside the transaction"),
        (sync, "_match", "    _match: LeadPhone lookup"),
        (sync, "_insert", "    _insert: INSERT ... ON CONFLICT DO NOTHING RETURNING"),
        (sync, "touch_leads", "    touch_leads: UPDATE leads_lead ... CASE WHEN"),
        (callbacks, "on_calls_stored", "    callbacks.on_calls_stored: call-backs"),
        (actions, "count_usage", "    count_usage"),
    ]


def timed_parts(post, bodies) -> tuple[list[float], list[tuple[str, float]]]:
    """Post ``bodies`` with the functions of ``watched()`` wrapped in timers (no profiler, so
    the figures are real time); answers each request's ms and each part's ms per request."""
    spent: dict[str, float] = {}
    saved = []

    def wrap(fn, title):
        def timed(*args, **kwargs):
            t0 = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                spent[title] = spent.get(title, 0.0) + time.perf_counter() - t0

        return timed

    for owner, attr, title in watched():
        fn = owner.__dict__[attr]
        saved.append((owner, attr, fn))
        spent[title] = 0.0
        setattr(owner, attr, wrap(fn, title))
    try:
        timings = []
        for body in bodies:
            t0 = time.perf_counter()
            post(body)
            timings.append((time.perf_counter() - t0) * 1000)
    finally:
        for owner, attr, fn in saved:
            setattr(owner, attr, fn)
    per = len(bodies)
    parts = [(title, seconds * 1000 / per) for title, seconds in spent.items()]
    ms = dict(parts)
    top = [title for title in ms if not title.startswith(" ")]  # not nested in each other
    sync_title = next(title for title in top if title.startswith("sync.sync"))
    children = [title for title in ms if title.startswith("  ") and not title.startswith("    ")]
    parts.append(("  rest of sync.sync: shape check, COMMIT", ms[sync_title] - sum(ms[t] for t in children)))
    outside = sum(timings) / per - sum(ms[t] for t in top)
    parts.append(("rest of the request: JSON parse, middleware, ninja, test client", outside))
    return timings, parts


def in_process(token: str, bodies: list[bytes], label: str) -> dict:
    """The same request in this process: the queries of one batch, the real time of its parts
    over two, and a cProfile of the rest (written to bench/results/)."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(
        HTTP_AUTHORIZATION=f"Bearer {token}", HTTP_X_APP_VERSION=APP_VERSION, HTTP_X_OS=OS_VERSION
    )

    def post(body):
        response = client.post("/api/v1/calls/sync", data=body, content_type="application/json")
        assert response.status_code == 200, response.content[:500]
        assert response.json()["stored"] == BATCH, response.json()

    with CaptureQueriesContext(connection) as context:
        post(bodies[0])
    queries = list(context.captured_queries)  # read now: the next request clears the log
    sql_ms = sum(float(q["time"]) for q in queries) * 1000
    timings, parts = timed_parts(post, bodies[1:3])
    profile = cProfile.Profile()
    profiled = bodies[3:]
    profile.enable()
    for body in profiled:
        post(body)
    profile.disable()
    text = io.StringIO()
    pstats.Stats(profile, stream=text).sort_stats("cumulative").print_stats(45)
    pstats.Stats(profile, stream=text).sort_stats("tottime").print_stats(30)
    RESULTS.mkdir(exist_ok=True)
    lines = [
        f"# sync on {label}: where one request's time goes (in-process, Django's test client)",
        "",
        f"real time per batch of {BATCH}, mean of {len(timings)} (timers around functions, no profiler):",
        *(f"  {ms:9.1f} ms  {title}" for title, ms in parts),
        f"  {statistics.mean(timings):9.1f} ms  whole request",
        "",
        f"queries of one batch: {len(queries)}, {sql_ms:.1f} ms as Django's cursor times them "
        "(driver included, to the millisecond):",
        *(f"  {float(q['time']) * 1000:7.2f} ms  {q['sql'][:200]}" for q in queries),
        "",
        f"cProfile of {len(profiled)} batches (the profiler slows Python code, not the database):",
        text.getvalue(),
    ]
    (RESULTS / f"{NAME}_{label}_profile.txt").write_text("\n".join(lines))
    return {
        "queries": len(queries),
        "sql_ms": sql_ms,
        "inproc_ms": statistics.mean(timings),
        "parts": parts,
        "query_lines": [(float(q["time"]) * 1000, q["sql"][:110]) for q in queries],
    }


# --- the run ---------------------------------------------------------------------------------


def machine() -> str:
    cpu = platform.processor() or "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        mem = f", {kb / 1024 / 1024:.0f} GiB"
    except (OSError, ValueError, IndexError):
        pass
    return f"{os.cpu_count()} cores ({cpu}){mem}, Python {platform.python_version()}"


def code_version() -> str:
    """The commit measured (and whether the tree had changes), or BENCH_COMMIT when not a checkout."""
    try:
        done = subprocess.run(
            ["git", "-C", str(ROOT), "describe", "--always", "--dirty"], capture_output=True, text=True
        )
    except OSError:
        done = None
    if done is not None and done.returncode == 0:
        return done.stdout.strip()
    return os.environ.get("BENCH_COMMIT", "?")


def load_average() -> str:
    try:
        return "/".join(f"{x:.1f}" for x in os.getloadavg())
    except OSError:
        return "?"


def run(args) -> None:
    label = args.db
    os.environ["DATABASE_URL"] = url = database_url(label)
    os.environ["BENCH_DB_LABEL"] = label
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "leadtracker.settings")
    os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-not-for-production-use-0123456789")
    os.environ.update(SETTINGS_ENV)
    made, load_seconds = prepare(args.leads, args.reuse)
    print(f"-- {label}: {url} ({made}; leads loaded in {load_seconds:.0f} s)", flush=True)

    from django.db import connection

    from leadtracker.accounts.models import Organisation
    from leadtracker.attendance.models import Shift, ShiftSource

    org = Organisation.objects.get(slug="bench")
    member, device, token = pair_phone(org)
    rng = random.Random(11)
    leads, unknown = pick_numbers(org, rng, args.calls)
    extra = PROFILE_BATCHES * BATCH
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    first = now - dt.timedelta(seconds=(args.calls + extra) * SPACING_S) - dt.timedelta(hours=2)
    calls, with_lead = make_calls(args.calls + extra, leads, unknown, first, rng)
    sent, kept_back = calls[: args.calls], calls[args.calls :]
    with_lead_sent = sum(with_lead[: args.calls])
    Shift.objects.create(
        organisation=org,
        user_id=member.user_id,
        started_at=first - dt.timedelta(hours=1),
        started_via=ShiftSource.DEVICE,
    )
    batches = [sent[i : i + BATCH] for i in range(0, len(sent), BATCH)]
    bodies = [json.dumps({"calls": b}, separators=(",", ":")).encode() for b in batches]
    connection.close()  # the server alone touches the database while it runs

    port = free_port()
    with tempfile.TemporaryFile("w+") as log:
        server = start_server(port, args.workers, log)
        try:
            # Warm-up: two empty batches load the URLconf, ninja, auth and the throttle.
            post_batches(port, token, [b'{"calls":[]}'] * 2, [0, 0])
            print(
                f"-- {label}: sending {len(sent):,} calls in {len(bodies)} batches of {BATCH} to "
                f"gunicorn on 127.0.0.1:{port} ({args.workers} sync worker(s))",
                flush=True,
            )
            load_before = load_average()
            latencies, totals, wall = post_batches(port, token, bodies, [len(b) for b in batches])
            load_after = load_average()
        except BaseException:
            log.seek(0)
            print(log.read()[-5000:], file=sys.stderr)
            raise
        finally:
            stop_server(server)

    from leadtracker.calls.models import Call

    stored = Call.objects.filter(organisation=org).count()
    matched = Call.objects.filter(organisation=org, lead__isnull=False).count()
    assert totals["stored"] == len(sent) and stored == len(sent), (totals, stored)
    assert totals["duplicates"] == totals["outside_shift"] == totals["rejected"] == 0, totals
    assert matched == with_lead_sent, (matched, with_lead_sent)
    calls_per_s = stored / wall
    lat = summary(latencies)
    tenth = max(1, len(latencies) // 10)
    first_tenth, last_tenth = summary(latencies[:tenth])["p50_ms"], summary(latencies[-tenth:])["p50_ms"]
    print(
        f"-- {label}: {stored:,} stored in {wall:.1f} s = {calls_per_s:,.0f} calls/s; "
        f"batch p50 {lat['p50_ms']:.0f} ms, p95 {lat['p95_ms']:.0f} ms; "
        f"{matched:,} linked to a lead ({matched / stored:.0%})",
        flush=True,
    )

    connection.close()
    raw = raw_baseline(url, org.pk)
    raw_way, raw_per_s = max(raw.items(), key=lambda item: item[1])
    ratio = calls_per_s / raw_per_s
    for way, per_s in raw.items():
        print(f"-- {label}: raw insert of the same {stored:,} rows, {way}: {per_s:,.0f} rows/s", flush=True)

    kept_bodies = [
        json.dumps({"calls": kept_back[i : i + BATCH]}).encode() for i in range(0, len(kept_back), BATCH)
    ]
    prof = in_process(token, kept_bodies, label)

    server_db = connection.vendor
    if server_db == "postgresql":
        with connection.cursor() as cur:
            cur.execute("SHOW server_version")
            db_version = "PostgreSQL " + cur.fetchone()[0]
    else:
        import sqlite3

        db_version = "SQLite " + sqlite3.sqlite_version
    import gunicorn

    row = {
        "database": label,
        "leads": args.leads,
        "calls": stored,
        "batches": len(bodies),
        "server": f"gunicorn {args.workers} sync worker{'s' if args.workers > 1 else ''}",
        "wall_s": round(wall, 1),
        "calls_per_s": round(calls_per_s),
        "batch_p50_ms": round(lat["p50_ms"], 1),
        "batch_p95_ms": round(lat["p95_ms"], 1),
        "inproc_batch_ms": round(prof["inproc_ms"], 1),
        "queries_per_batch": prof["queries"],
        "raw_rows_per_s": round(raw_per_s),
        "ratio": round(ratio, 3),
    }
    notes = (
        f"{args.leads:,} leads (each with its number), one agent's paired phone with an open shift. "
        f"{stored:,} calls ({matched / stored:.0%} with a lead's number, the rest unknown numbers; "
        "55% outgoing, 25% incoming, 15% missed, 5% rejected; numbers mostly +91…, some 0… or spaced) "
        f"sent in {len(bodies)} batches of {BATCH} to POST /api/v1/calls/sync, one after another, "
        f"over loopback to gunicorn {gunicorn.__version__} ({args.workers} sync worker(s), DEBUG off, "
        f"DB_CONN_MAX_AGE={os.environ.get('DB_CONN_MAX_AGE', '0')}) from this process (http.client). "
        "wall_s: first request sent to last answer read; batch_*: one request's round trip "
        f"(p50 {first_tenth:.0f} ms over the first tenth of the batches, {last_tenth:.0f} ms over the last). "
        "raw = the same rows (the columns the server writes) inserted again into calls_call with the "
        "database driver alone after deleting the synced ones, in one transaction, commit included; "
        f"{'; '.join(f'{way}: {per_s:,.0f} rows/s' for way, per_s in raw.items())}; "
        f"raw_rows_per_s is the faster ({raw_way}). "
        "ratio = calls_per_s / raw_rows_per_s. inproc_batch_ms and queries_per_batch: the same request "
        "in-process (test client, no network), a fresh batch. "
        f"{machine()}, {db_version}; load average (1/5/15 min) {load_before} before the sync run, "
        f"{load_after} after it. Code: {code_version()}. "
        f"Profile: bench/results/{NAME}_{label}_profile.txt."
    )
    write(f"{NAME}_{label}", [row], notes=notes)
    print(f"\nper batch of {BATCH}, in-process, real time ({label}):")
    for title, ms in prof["parts"]:
        print(f"  {ms:9.1f} ms  {title}")
    print(f"  {prof['inproc_ms']:9.1f} ms  whole request")
    print(f"  one batch: {prof['queries']} queries, {prof['sql_ms']:.1f} ms of it in SQL (driver included)")
    for ms, sql in prof["query_lines"]:
        print(f"    {ms:7.2f} ms  {sql}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--db",
        choices=["sqlite", "postgresql", "both"],
        default=os.environ.get("BENCH_DB_LABEL", "both"),
        help="which database (default: both, or BENCH_DB_LABEL as `python -m bench` sets it)",
    )
    parser.add_argument("--leads", type=int, default=int(os.environ.get("BENCH_LEADS", "1000000")))
    parser.add_argument("--calls", type=int, default=int(os.environ.get("BENCH_SYNC_CALLS", "100000")))
    parser.add_argument(
        "--workers", type=int, default=int(os.environ.get("BENCH_SYNC_WORKERS", "1")), help="gunicorn workers"
    )
    parser.add_argument(
        "--reuse",
        action="store_true",
        default=os.environ.get("BENCH_REUSE", "") not in ("", "0", "false"),
        help="keep the database and its leads when it holds as many leads as asked",
    )
    args = parser.parse_args()
    if args.db != "both":
        run(args)
        return 0
    arguments = ["--leads", str(args.leads), "--calls", str(args.calls), "--workers", str(args.workers)]
    arguments += ["--reuse"] if args.reuse else []

    def skip(label):
        unreachable = label == "postgresql" and not pg_reachable(database_url(label))
        return "PostgreSQL is not reachable" if unreachable else None

    return each_database("bench_sync", arguments, skip)


if __name__ == "__main__":
    sys.exit(main())
