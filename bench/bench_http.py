"""The whole request as a user meets it: `leadtracker serve` (production settings, gunicorn, 2
workers) on SQLite and on PostgreSQL with a million leads, timed over loopback HTTP from this
process, every operation interleaved with the others round by round after warm-up rounds:

    the fixed cost (/healthz, without the database; /api/v1/me, a token and two statements),
    list (first page), list (owner + status, by next follow-up), search (last six digits),
    one lead, the lead page (HTML), the leads page (HTML), create a lead, record an outcome,
    a sync batch of 500 calls.

Each is reported as p50/p95/p99 with the statements the server ran for it (counted in each
worker by a gunicorn hook around Django's cursor, `gunicorn.conf.py` in the server's directory)
and, for the reads and the create, against the raw SQL of the same work run from this process
in the same rounds. The 1-minute load average is read before and after the timed rounds.

Variants compare server configurations interleaved in the same rounds: each is a server of its
own (2 workers each), e.g. connections reused or not:

    python -m bench.bench_http --db sqlite --leads 100000 \\
        --variant reused: --variant per-request:DB_CONN_MAX_AGE=0 --variant pool:DB_POOL=on

The database is its own (var/bench-http.sqlite3, leadtracker_bench_http) and is kept between
runs when it holds the number of leads asked for (building a million takes minutes).
"""

import argparse
import datetime as dt
import http.client
import json
import os
import random
import re
import secrets
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

import bench.bench_sync as sync_bench
from bench.harness import write

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "var" / "bench-http"
PG_DEFAULT = "postgres://postgres@127.0.0.1:5432/leadtracker_bench_http"
BATCH = 500
PASSWORD = "bench-http-password-1"  # noqa: S105 - a throwaway account in a throwaway database
SERVER_ENV = {
    "DEBUG": "False",
    "ALLOWED_HOSTS": "127.0.0.1",
    "SITE_URL": "http://127.0.0.1",
    # Loopback has no TLS: no redirect to https, cookies sent over http.
    "SECURE_SSL_REDIRECT": "False",
    "SESSION_COOKIE_SECURE": "False",
    "CSRF_COOKIE_SECURE": "False",
    "SECURE_HSTS_SECONDS": "0",
    # The limits' checks still run on every request; the rates are raised so that a run of
    # hundreds of requests a minute by one person and one phone is not answered 429.
    "API_RATE_AUTHENTICATED": "1000000/m",
    "SYNC_RATE_PER_DEVICE": "1000000/m",
}
# Counts the statements each request runs, in each worker; one line per request.
GUNICORN_CONF = """
import os

_count = [0]


def post_worker_init(worker):
    from django.db.backends import utils

    original = utils.CursorWrapper._execute_with_wrappers

    def counted(self, sql, params, many, executor):
        _count[0] += 1
        return original(self, sql, params, many, executor)

    utils.CursorWrapper._execute_with_wrappers = counted


def pre_request(worker, req):
    _count[0] = 0


def post_request(worker, req, environ, resp):
    with open(os.environ["BENCH_STATEMENTS"], "a") as out:
        query = f"?{req.query}" if req.query else ""
        out.write(f"{req.method} {req.path}{query}\\t{_count[0]}\\n")
"""


def database_url(label: str) -> str:
    if label == "sqlite":
        return os.environ.get("BENCH_HTTP_SQLITE_URL", f"sqlite:///{ROOT / 'var' / 'bench-http.sqlite3'}")
    return os.environ.get("BENCH_HTTP_DATABASE_URL", PG_DEFAULT)


def load_average() -> float:
    return round(os.getloadavg()[0], 2)


# --- the organisation, its people, a phone -------------------------------------------------


def setting_up(n_leads: int, reuse: bool) -> dict:
    """The data every operation needs: tokens, ids, numbers. Leads come from the sync
    benchmark's builder (kept when the database already holds as many)."""
    if reuse:
        forget_earlier_runs()
    made, seconds = sync_bench.prepare(n_leads, reuse)
    print(f"-- leads: {made}, loaded in {seconds:.0f} s", flush=True)
    from django.db import connection

    from leadtracker.accounts.actions import create_api_token
    from leadtracker.accounts.audit import Actor
    from leadtracker.accounts.models import Membership, Organisation, Role, User
    from leadtracker.attendance.models import Shift, ShiftSource
    from leadtracker.calls.models import Outcome
    from leadtracker.leads.models import Lead, LeadStatus

    org = Organisation.objects.get(slug="bench")
    owner = User.objects.get(email="owner@bench.in")
    owner.set_password(PASSWORD)
    owner.save(update_fields=["password"])
    _token, api_token = create_api_token(
        Membership.objects.get(organisation=org, user=owner),
        name=f"bench {secrets.token_hex(3)}",
        actor=Actor.system(),
    )
    member, _device, device_token = sync_bench.pair_phone(org)
    agent = Membership.objects.filter(organisation=org, role=Role.AGENT).order_by("id")[5]
    status = LeadStatus.objects.filter(organisation=org).order_by("position", "id")[1]
    lead = Lead.objects.filter(organisation=org).order_by("id")[n_leads // 2]
    with connection.cursor() as cur:
        cur.execute(
            "SELECT e164 FROM leads_leadphone WHERE organisation_id = %s ORDER BY id LIMIT 1 OFFSET %s",
            [org.pk, n_leads // 3],
        )
        suffix = cur.fetchone()[0][-6:]
    first = dt.datetime.now(dt.UTC).replace(microsecond=0) - dt.timedelta(days=6)
    Shift.objects.create(
        organisation=org, user_id=member.user_id, started_at=first, started_via=ShiftSource.DEVICE
    )
    return {
        "org": org.pk,
        "api_token": api_token,
        "device_token": device_token,
        "agent": agent.user_id,
        "status": status.pk,
        "lead": lead.pk,
        "suffix": suffix,
        "outcome": Outcome.objects.filter(organisation=org).order_by("position", "id").first().pk,
        "first_call_at": first + dt.timedelta(minutes=5),
    }


def forget_earlier_runs() -> None:
    """Remove the leads earlier runs created, so the database holds the leads it was built with
    (and is reused) again."""
    if not sync_bench.exists(os.environ["DATABASE_URL"]):
        return
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from leadtracker.leads.models import Lead

    call_command("migrate", verbosity=0, interactive=False)
    with connection.cursor() as cur:
        # Call-backs first, all of them (the default manager may not show every one): they
        # point at the calls that the sync benchmark's reset deletes.
        cur.execute("DELETE FROM calls_callback")
    Lead.objects.filter(name__in=["Bench lead", "Raw"]).delete()
    connection.close()


def sync_bodies(org_id: int, n_batches: int, first: dt.datetime) -> list[bytes]:
    from leadtracker.accounts.models import Organisation

    rng = random.Random(21)
    n = n_batches * BATCH
    leads, unknown = sync_bench.pick_numbers(Organisation.objects.get(pk=org_id), rng, n)
    calls, _with_lead = sync_bench.make_calls(n, leads, unknown, first, rng)
    return [
        json.dumps({"calls": calls[i : i + BATCH]}, separators=(",", ":")).encode()
        for i in range(0, n, BATCH)
    ]


# --- the servers ---------------------------------------------------------------------------


class Server:
    """One `leadtracker serve` with 2 workers and its own settings overrides."""

    def __init__(self, name: str, overrides: dict, url: str):
        self.name = name
        self.port = sync_bench.free_port()
        self.dir = WORK / name
        shutil.rmtree(self.dir, ignore_errors=True)
        (self.dir / "var").mkdir(parents=True)
        (self.dir / "gunicorn.conf.py").write_text(GUNICORN_CONF)
        self.statements = self.dir / "statements.tsv"
        self.env = dict(
            os.environ,
            **SERVER_ENV,
            **overrides,
            DATABASE_URL=url,
            LEADTRACKER_VAR_DIR=str(self.dir / "var"),
            BENCH_STATEMENTS=str(self.statements),
        )
        # The code beside this file, unless the variant names other code (an older checkout to
        # compare with, interleaved in the same run).
        code = overrides.get("PYTHONPATH", str(ROOT))
        self.env["PYTHONPATH"] = os.pathsep.join(filter(None, [code, os.environ.get("PYTHONPATH")]))

    def start(self) -> "Server":
        leadtracker = str(Path(sys.executable).parent / "leadtracker")
        # A generous timeout: on a loaded machine a sync batch can take longer than serve's 30 s.
        command = [
            leadtracker,
            "serve",
            "--bind",
            f"127.0.0.1:{self.port}",
            "--workers",
            "2",
            "--timeout",
            "180",
        ]
        self.log = open(self.dir / "serve.log", "w")  # noqa: SIM115 - closed in stop()
        # cwd: gunicorn reads ./gunicorn.conf.py, the statement counter.
        self.process = subprocess.Popen(  # noqa: S603
            command, cwd=self.dir, env=self.env, stdout=self.log, stderr=subprocess.STDOUT
        )
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name}: serve exited; see {self.log.name}")
            try:
                if self.request("GET", "/healthz")[0] == 200:
                    return self
            except OSError:
                time.sleep(0.3)
        raise RuntimeError(f"{self.name}: no answer from /healthz in 180 s")

    def stop(self) -> None:
        sync_bench.stop_server(self.process)
        self.log.close()

    def request(self, method: str, path: str, body: bytes | None = None, headers=None):
        # A connection per request: gunicorn's sync workers close it after each answer.
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        try:
            conn.request(method, path, body=body, headers=headers or {})
            response = conn.getresponse()
            return response.status, response.read(), response
        finally:
            conn.close()

    def sign_in(self, email: str) -> str:
        """The session cookie of a person signed in through the login form."""
        status, page, answer = self.request("GET", "/login/")
        csrf = re.search(r"csrftoken=([^;]+)", answer.getheader("Set-Cookie") or "").group(1)
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1).decode()
        body = urlencode({"csrfmiddlewaretoken": token, "email": email, "password": PASSWORD}).encode()
        headers = {
            "Cookie": f"csrftoken={csrf}",
            "Content-Type": "application/x-www-form-urlencoded",
            "Referer": f"http://127.0.0.1:{self.port}/login/",
        }
        status, _page, answer = self.request("POST", "/login/", body, headers)
        cookies = answer.getheader("Set-Cookie") or ""
        session = re.search(r"sessionid=([^;]+)", cookies)
        assert status == 302 and session, (status, cookies)
        return f"csrftoken={csrf}; sessionid={session.group(1)}"


# --- the operations ------------------------------------------------------------------------


def fresh_numbers(org_id: int, n: int) -> list[str]:
    """Valid Indian mobiles that no lead has, for the creates."""
    import phonenumbers
    from django.db import connection

    rng = random.Random(5)
    candidates = []
    while len(candidates) < n * 2:
        e164 = f"+91{rng.randint(6_000_000_000, 9_999_999_999)}"
        if phonenumbers.is_valid_number(phonenumbers.parse(e164, None)):
            candidates.append(e164)
    with connection.cursor() as cur:
        marks = ", ".join(["%s"] * len(candidates))
        cur.execute(
            f"SELECT e164 FROM leads_leadphone WHERE organisation_id = %s AND e164 IN ({marks})",  # noqa: S608
            [org_id, *candidates],
        )
        taken = {row[0] for row in cur.fetchall()}
    return [e for e in dict.fromkeys(candidates) if e not in taken][:n]


def raw_reads(s: dict) -> dict:
    """The raw SQL of each read (and of the create's rows), run from this process."""
    from django.db import connection, transaction

    rev = s["suffix"][::-1]
    upper = rev[:-1] + chr(ord(rev[-1]) + 1)
    by_follow_up = "ORDER BY next_follow_up_at ASC NULLS LAST, id ASC LIMIT 51"
    first_page = (f"SELECT * FROM leads_lead WHERE organisation_id = %s {by_follow_up}", [s["org"]])
    queries = {
        "list: first page": first_page,
        "list: owner + status, by follow-up": (
            f"SELECT * FROM leads_lead WHERE organisation_id = %s AND owner_id = %s AND status_id = %s "
            f"{by_follow_up}",
            [s["org"], s["agent"], s["status"]],
        ),
        "search: last six digits": (
            "SELECT * FROM leads_lead WHERE organisation_id = %s AND id IN (SELECT lead_id FROM "
            "leads_leadphone WHERE organisation_id = %s AND digits_reversed >= %s AND digits_reversed < %s) "
            + by_follow_up,
            [s["org"], s["org"], rev, upper],
        ),
        "one lead": (
            "SELECT * FROM leads_lead WHERE organisation_id = %s AND id = %s",
            [s["org"], s["lead"]],
        ),
    }
    queries["lead page (HTML)"] = queries["one lead"]
    queries["leads page (HTML)"] = first_page

    def read(sql, params):
        def run():
            with connection.cursor() as cur:
                cur.execute(sql, params)
                cur.fetchall()

        return run

    def create():
        e164 = s["raw_numbers"].pop()
        now = dt.datetime.now(dt.UTC)
        with transaction.atomic(), connection.cursor() as cur:
            cur.execute(
                "INSERT INTO leads_lead (organisation_id, name, company, email, phone, phone_raw, city, "
                "address, status_id, owner_id, created_at, updated_at, do_not_call, marketing_consent, "
                "lost_reason, extra) VALUES (%s, 'Raw', '', '', %s, %s, '', '', %s, NULL, %s, %s, "
                "false, false, '', '{}') RETURNING id",
                [s["org"], e164, e164, s["status"], now, now],
            )
            lead_id = cur.fetchone()[0]
            cur.execute(
                "INSERT INTO leads_leadphone (organisation_id, lead_id, e164, raw, digits_reversed, "
                "position) VALUES (%s, %s, %s, %s, %s, 0)",
                [s["org"], lead_id, e164, e164, e164[1:][::-1]],
            )

    out = {name: read(*query) for name, query in queries.items()}
    out["create a lead"] = create
    return out


def operations(s: dict, cookie: str) -> dict:
    """Each operation: (method, target, body, headers, the status it must answer); a function of
    the round so that writes never repeat themselves."""
    api = {"Authorization": f"Bearer {s['api_token']}"}
    api_json = {**api, "Content-Type": "application/json"}
    page = {"Cookie": cookie}
    phone = {
        "Authorization": f"Bearer {s['device_token']}",
        "Content-Type": "application/json",
        "X-App-Version": sync_bench.APP_VERSION,
        "X-OS": sync_bench.OS_VERSION,
    }
    search = urlencode({"q": s["suffix"], "limit": 50})
    filtered = urlencode({"owner": s["agent"], "status": s["status"], "sort": "next_follow_up", "limit": 50})

    def create(_i):
        body = {"name": "Bench lead", "phones": [s["numbers"].pop()], "city": "Pune", "tags": ["bench"]}
        return "POST", "/api/v1/leads", json.dumps(body).encode(), api_json, 201

    def outcome(i):
        call = s["calls"][i % len(s["calls"])]
        body = json.dumps({"outcome_id": s["outcome"], "note": "Called back"}).encode()
        return "POST", f"/api/v1/calls/{call}/outcome", body, api_json, 200

    def sync(_i):
        return "POST", "/api/v1/calls/sync", s["bodies"].pop(0), phone, 200

    return {
        # The fixed cost of a request: gunicorn and Django's middleware with no database, then a
        # signed-in API request that reads its token and membership and little else.
        "fixed: /healthz (no database)": lambda i: ("GET", "/healthz", None, {}, 200),
        "fixed: /api/v1/me (token, 2 statements)": lambda i: ("GET", "/api/v1/me", None, api, 200),
        "list: first page": lambda i: ("GET", "/api/v1/leads?limit=50", None, api, 200),
        "list: owner + status, by follow-up": lambda i: ("GET", f"/api/v1/leads?{filtered}", None, api, 200),
        "search: last six digits": lambda i: (
            "GET",
            f"/api/v1/leads?{search}",
            None,
            api,
            200,
        ),
        "one lead": lambda i: ("GET", f"/api/v1/leads/{s['lead']}", None, api, 200),
        "lead page (HTML)": lambda i: ("GET", f"/leads/{s['lead']}/", None, page, 200),
        "leads page (HTML)": lambda i: ("GET", "/leads/", None, page, 200),
        "create a lead": create,
        "record an outcome": outcome,
        "sync: a batch of 500 calls": sync,
    }


def percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return round(ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))], 1)


def statement_counts(server: Server) -> dict[str, list[int]]:
    counts: dict[str, list[int]] = {}
    for line in server.statements.read_text().splitlines():
        target, count = line.rsplit("\t", 1)
        counts.setdefault(target, []).append(int(count))
    return counts


# --- a run ---------------------------------------------------------------------------------


def run(label: str, args) -> None:
    url = database_url(label)
    os.environ.update(DATABASE_URL=url, BENCH_DB_LABEL=label, **SERVER_ENV)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "leadtracker.settings")
    os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-not-for-production-use-0123456789")
    s = setting_up(args.leads, not args.fresh)
    variants = dict(args.variant or [("shipped", {})])
    rounds = args.warmup + args.rounds
    writes = rounds * len(variants)
    s["bodies"] = sync_bodies(s["org"], writes + len(variants), s["first_call_at"])
    s["numbers"] = fresh_numbers(s["org"], 2 * writes)
    s["raw_numbers"], s["numbers"] = s["numbers"][writes:], s["numbers"][:writes]
    from django.db import connection

    from leadtracker.calls.models import Call

    connection.close()  # the servers alone use the database while they start
    servers = [Server(name, overrides, url) for name, overrides in variants.items()]
    for server in servers:
        server.start()
    try:
        cookie = {server.name: server.sign_in("owner@bench.in") for server in servers}
        for server in servers:  # a day's first batch, so there are calls to record outcomes on
            sync = operations(s, "")["sync: a batch of 500 calls"](0)
            assert server.request(*sync[:4])[0] == 200
        calls = Call.objects.filter(organisation_id=s["org"]).order_by("-id")
        s["calls"] = list(calls.values_list("id", flat=True)[:500])
        raws = raw_reads(s)
        ops = {server.name: operations(s, cookie[server.name]) for server in servers}
        names = list(ops[servers[0].name])
        times = {(v, name): [] for v in [*variants, "raw SQL"] for name in names}
        targets = {(v, name): set() for v in variants for name in names}
        loads = [load_average()]
        rng = random.Random(3)
        for i in range(rounds):
            if i == args.warmup:
                loads = [load_average()]
            order = [(server, name) for server in servers for name in names] + [(None, n) for n in raws]
            rng.shuffle(order)
            for server, name in order:
                t0 = time.perf_counter()
                if server is None:
                    raws[name]()
                else:
                    method, target, body, headers, expect = ops[server.name][name](i)
                    status, answer, _ = server.request(method, target, body, headers)
                    assert status == expect, (server.name, name, target, status, answer[:300])
                    targets[(server.name, name)].add(f"{method} {target}")
                ms = (time.perf_counter() - t0) * 1000
                if i >= args.warmup:
                    times[(server.name if server else "raw SQL", name)].append(ms)
        loads.append(load_average())
        time.sleep(1)  # the last request's post_request hook writes its line after the answer
    finally:
        for server in servers:
            server.stop()
    rows = report(label, servers, names, times, targets)
    write(
        f"http_{label}",
        rows,
        notes=(
            f"{args.leads:,} leads; `leadtracker serve`, 2 workers per variant, DEBUG off; over loopback "
            f"HTTP from one client, a new connection per request; {args.rounds} timed rounds after "
            f"{args.warmup} warm-up rounds, every operation of every variant and the raw SQL shuffled "
            f"within each round. 1-minute load average {loads[0]} before and {loads[1]} after the timed "
            f"rounds on {os.cpu_count()} cores. Statements: counted in the server per request (median; "
            "a connection health check's SELECT 1 would not be among them; PostgreSQL's check sends none "
            "since lib/postgresql, SQLite's never did). SQLite counts its BEGIN IMMEDIATE, "
            "PostgreSQL's BEGIN is sent by psycopg and not counted."
        ),
    )


def report(label, servers, names, times, targets) -> list[dict]:
    rows = []
    for server in servers:
        counted = statement_counts(server)
        for name in names:
            samples = times[(server.name, name)]
            statements = [c for t in targets[(server.name, name)] for c in counted.get(t, [])]
            raw = times.get(("raw SQL", name)) or []
            p50 = round(statistics.median(samples), 1)
            rows.append(
                {
                    "database": label,
                    "variant": server.name,
                    "operation": name,
                    "p50_ms": p50,
                    "p95_ms": percentile(samples, 0.95),
                    "p99_ms": percentile(samples, 0.99),
                    "statements": round(statistics.median(statements)) if statements else "",
                    "raw_sql_p50_ms": round(statistics.median(raw), 2) if raw else "",
                    "raw_sql_p95_ms": percentile(raw, 0.95) if raw else "",
                    "http/sql_p50": round(p50 / statistics.median(raw), 1) if raw else "",
                }
            )
    return rows


def audit_commit_cost(url: str, n: int) -> list[dict]:
    """What `synchronous_commit = off` would save on an access-audit row (PostgreSQL): ``n``
    inserts of an audit event as record_access writes it, each its own transaction, with the
    commit waiting for the WAL flush and not, interleaved."""
    import psycopg

    rng = random.Random(1)
    times = {"on": [], "off": []}
    with psycopg.connect(url, autocommit=True) as conn:
        org = conn.execute("SELECT id FROM accounts_organisation WHERE slug = 'bench'").fetchone()[0]
        for i in range(n):
            for mode in rng.sample(["on", "off"], 2):
                t0 = time.perf_counter()
                with conn.transaction():
                    conn.execute(f"SET LOCAL synchronous_commit = {mode}")
                    conn.execute(
                        "INSERT INTO accounts_auditevent (organisation_id, actor_kind, action, object_type, "
                        "object_id, at, ip_address, user_agent, changes) VALUES (%s, 'user', 'lead.view', "
                        "'lead', %s, now(), '127.0.0.1', '', '{\"via\": \"bench\"}')",
                        [org, str(i)],
                    )
                times[mode].append((time.perf_counter() - t0) * 1000)
        conn.execute("DELETE FROM accounts_auditevent WHERE changes::text LIKE '%%\"bench\"%%'")
    return [
        {
            "synchronous_commit": mode,
            "insert_and_commit_p50_ms": round(statistics.median(samples), 3),
            "p95_ms": percentile(samples, 0.95),
            "n": len(samples),
            "load_1min": load_average(),
        }
        for mode, samples in times.items()
    ]


def variant(text: str) -> tuple[str, dict]:
    """name:KEY=VALUE,KEY=VALUE (settings overrides for that server)."""
    name, _, pairs = text.partition(":")
    return name, dict(pair.split("=", 1) for pair in pairs.split(",") if pair)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=["sqlite", "postgresql", "both"], default=None)
    parser.add_argument("--leads", type=int, default=int(os.environ.get("BENCH_LEADS", "1000000")))
    parser.add_argument("--rounds", type=int, default=int(os.environ.get("BENCH_HTTP_ROUNDS", "100")))
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--fresh", action="store_true", help="build the leads again even if they are there")
    parser.add_argument("--variant", type=variant, action="append", help="name:KEY=VALUE,… (repeatable)")
    parser.add_argument(
        "--audit-commit", type=int, metavar="N", help="only time N access-audit rows' commits (PostgreSQL)"
    )
    args = parser.parse_args()
    if args.audit_commit:
        write("http_audit_commit", audit_commit_cost(database_url("postgresql"), args.audit_commit))
        return 0
    db = args.db or os.environ.get("BENCH_DB_LABEL") or "both"
    if db == "both":
        failed = 0
        for label in ("sqlite", "postgresql"):
            argv = [a for a in sys.argv[1:] if not a.startswith("--db")]
            failed |= subprocess.call(
                [sys.executable, "-m", "bench.bench_http", "--db", label, *argv], cwd=ROOT
            )
        return failed
    if db == "postgresql" and not sync_bench.pg_reachable(database_url(db)):
        print(f"!!! PostgreSQL at {database_url(db)} is not reachable: not measured", file=sys.stderr)
        return 1
    run(db, args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
