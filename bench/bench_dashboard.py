"""The 30-day dashboard at ten million calls: an organisation of 200 agents in 10 teams of 20,
a year of calls (10,000,000 by default), shifts, missed calls and their call-backs, and a
million leads. Roll-ups are built with the rebuild code (`leadtracker rebuild-rollups`), and
its time is reported. Then every selector a dashboard page calls (reports/selectors.py) is
timed for the last 30 days, for the whole organisation (the owner) and for one team of 20
(its manager), against the same figures computed with aggregate SQL over the raw calls in the
same run — the ratio is what the roll-ups save, whatever the machine's speed.

    python -m bench.bench_dashboard                          # both databases, full size
    python -m bench.bench_dashboard --db sqlite --calls 1000000 --leads 100000   # quick
    python -m bench bench_dashboard                          # as `make bench` runs it

The database is its own (/tmp/bench_dashboard.sqlite3, leadtracker_bench_dashboard), dropped
at the end unless --keep. --suffix (or BENCH_DASHBOARD_SUFFIX) appends to both names and to the
results' file name, so a second loaded copy can live beside the first:
--suffix _db2m uses /tmp/bench_dashboard_db2m.sqlite3 and leadtracker_bench_dashboard_db2m.
"""

import argparse
import contextlib
import datetime as dt
import os
import random
import sys
import time
from pathlib import Path

from bench.harness import each_database, summary, timed, write

NAME = "dashboard"
N_AGENTS, TEAM_SIZE = 200, 20
DAYS = 365
PG_DEFAULT = "postgres://postgres@127.0.0.1:5432/leadtracker_bench"
SQLITE_PATH = Path("/tmp/bench_dashboard.sqlite3")
# What a telecaller's call log looks like: mostly outgoing, a third of them not connected.
TYPES = [
    ("outgoing", 62),
    ("incoming", 18),
    ("missed", 10),
    ("rejected", 4),
    ("blocked", 1),
    ("voicemail", 1),
]
TYPES += [("outgoing_nc", 4)]


def database_url(label: str, suffix: str = "") -> str:
    if label == "sqlite":
        return f"sqlite:///{SQLITE_PATH.with_name(SQLITE_PATH.stem + suffix + SQLITE_PATH.suffix)}"
    base = os.environ.get("DATABASE_URL", "")
    base = base if base.startswith("postgres") else os.environ.get("BENCH_DATABASE_URL", PG_DEFAULT)
    return base.rsplit("/", 1)[0] + f"/leadtracker_bench_{NAME}{suffix}"


def database_exists(url: str) -> bool:
    if url.startswith("sqlite:///"):
        return Path(url[len("sqlite:///") :]).exists()
    import psycopg

    base, name = url.rsplit("/", 1)
    with psycopg.connect(base + "/postgres", autocommit=True) as conn:
        return conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is not None


def drop(url: str) -> None:
    if url.startswith("sqlite:///"):
        for suffix in ("", "-wal", "-shm"):
            Path(url[len("sqlite:///") :] + suffix).unlink(missing_ok=True)
        return
    import psycopg

    base, name = url.rsplit("/", 1)
    with psycopg.connect(base + "/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


# --- the organisation and its year ---------------------------------------------------------


def people():
    """Owner, 10 managers under the owner, 20 agents under each manager."""
    from leadtracker.accounts.actions import create_organisation
    from leadtracker.accounts.models import Membership, Role, User

    org, owner = create_organisation(name="Bench", slug="bench", owner_email="owner@bench.in")
    managers_users = User.objects.bulk_create(
        [User(email=f"m{i}@bench.in", full_name=f"Manager {i}") for i in range(N_AGENTS // TEAM_SIZE)]
    )
    managers = Membership.objects.bulk_create(
        [Membership(organisation=org, user=u, role=Role.MANAGER, reports_to=owner) for u in managers_users]
    )
    agents_users = User.objects.bulk_create(
        [User(email=f"a{i}@bench.in", full_name=f"Agent {i}") for i in range(N_AGENTS)]
    )
    Membership.objects.bulk_create(
        [
            Membership(organisation=org, user=u, role=Role.AGENT, reports_to=managers[i // TEAM_SIZE])
            for i, u in enumerate(agents_users)
        ]
    )
    return org, owner, managers, [u.pk for u in agents_users]


def load_year(org, agent_ids: list[int], n_calls: int, today: dt.date, load_minutes: float = 0) -> dict:
    """Shifts, calls (ids given here, so call-backs can name them) and call-backs, straight
    into the tables: COPY on PostgreSQL, executemany in big transactions on SQLite.

    Days are written newest first, so a load stopped by ``load_minutes`` (0: no bound) still
    holds whole recent days — the 30 the dashboard reads — and fewer old ones; the counts
    returned say how many calls and days went in."""
    from django.db import connection, transaction

    tz = org.tzinfo
    rng = random.Random(10)
    with connection.cursor() as cur:
        cur.execute("SELECT id, phone FROM leads_lead WHERE organisation_id = %s ORDER BY id", [org.pk])
        leads = cur.fetchall()
    kinds = [k for k, w in TYPES for _ in range(w)]
    per_day = n_calls / (len(agent_ids) * DAYS)
    call_cols = (
        "id organisation_id user_id lead_id device_call_id number country_iso type status direction "
        "started_at duration_s sim via note received_at"
    ).split()
    back_cols = (
        "organisation_id lead_id assignee_id number missed_call_id missed_at last_missed_at missed_count "
        "closed_at seconds_to_return created_at"
    ).split()
    shift_cols = "organisation_id user_id started_at ended_at started_via ended_via closed_automatically"
    shift_cols += " correction_reason created_at"
    shift_cols = shift_cols.split()
    counts = {"calls": 0, "call_backs": 0, "shifts": 0, "days": 0}
    bound = {"until": None}
    backs: list[tuple] = []
    shifts: list[tuple] = []
    open_numbers: set[str] = set()
    org_id = org.pk
    # SQLite is given each time as the naive UTC text Django's adapt_datetimefield_value writes
    # (every time here is made in UTC, from opens), without its checks on 30 million values.
    stamp = (lambda v: v) if connection.vendor == "postgresql" else (lambda v: str(v.replace(tzinfo=None)))

    def calls():
        pk = 0
        carry = 0.0
        for n in range(DAYS):
            if bound["until"] is not None and time.perf_counter() > bound["until"]:
                return
            counts["days"] += 1
            day = today - dt.timedelta(days=n)
            opens = dt.datetime.combine(day, dt.time(9, 30), tz).astimezone(dt.UTC)
            shift = (
                stamp(opens - dt.timedelta(minutes=15)),
                stamp(opens + dt.timedelta(hours=10, minutes=15)),
            )
            opened = stamp(opens)
            for user_id in agent_ids:
                shifts.append((org_id, user_id, *shift, "device", "device", False, "", opened))
                carry += per_day
                k = int(carry)
                carry -= k
                for second in sorted(rng.sample(range(36000), k)):
                    pk += 1
                    started = opens + dt.timedelta(seconds=second)
                    at = stamp(started)
                    kind = rng.choice(kinds)
                    lead_id, number = (
                        rng.choice(leads) if rng.random() < 0.8 else (None, f"+9198{pk % 10**8:08d}")
                    )
                    if kind == "outgoing":
                        call_type, status, direction, duration = (
                            "outgoing",
                            "connected",
                            "out",
                            rng.randint(4, 600),
                        )
                    elif kind == "outgoing_nc":
                        call_type, status, direction, duration = "outgoing", "not_connected", "out", 0
                    elif kind == "incoming":
                        call_type, status, direction, duration = (
                            "incoming",
                            "answered",
                            "in",
                            rng.randint(5, 900),
                        )
                    else:
                        call_type, status, direction, duration = kind, kind, "in", 0
                    if kind in ("missed", "rejected") and lead_id is not None:
                        wait = rng.randint(60, 6 * 3600)
                        # At most one open call-back per number (a database constraint).
                        still_open = rng.random() < 0.15 and number not in open_numbers
                        if still_open:
                            open_numbers.add(number)
                        closed = None if still_open else stamp(started + dt.timedelta(seconds=wait))
                        backs.append(
                            (org_id, lead_id, user_id, number, pk, at, at, 1, closed)
                            + (wait if closed else None, at)
                        )
                    counts["calls"] += 1
                    yield (pk, org_id, user_id, lead_id, "", number, "", call_type, status, direction) + (
                        at,
                        duration,
                        "1",
                        "device",
                        "",
                        at,
                    )

    rows = calls

    started = time.perf_counter()
    bound["until"] = started + load_minutes * 60 if load_minutes else None
    with transaction.atomic(), connection.cursor() as cur:
        if connection.vendor == "postgresql":
            with cur.copy(f"COPY calls_call ({', '.join(call_cols)}) FROM STDIN") as copy:
                for row in rows():
                    copy.write_row(row)
            with cur.copy(f"COPY calls_callback ({', '.join(back_cols)}) FROM STDIN") as copy:
                for row in backs:
                    copy.write_row(row)
            with cur.copy(f"COPY attendance_shift ({', '.join(shift_cols)}) FROM STDIN") as copy:
                for row in shifts:
                    copy.write_row(row)
            cur.execute("SELECT setval(pg_get_serial_sequence('calls_call', 'id'), %s)", [counts["calls"]])
        else:
            for table, cols, source in (
                ("calls_call", call_cols, rows()),
                ("calls_callback", back_cols, backs),
                ("attendance_shift", shift_cols, shifts),
            ):
                marks = ", ".join(["%s"] * len(cols))
                cur.executemany(f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({marks})", source)  # noqa: S608
        counts["call_backs"], counts["shifts"] = len(backs), len(shifts)
        cur.execute("ANALYZE")
    counts["load_s"] = round(time.perf_counter() - started, 1)
    return counts


# The big tables, loaded with their secondary indexes dropped and built again afterwards.
BULK_TABLES = ("leads_lead", "leads_leadphone", "calls_call", "calls_callback", "attendance_shift")


@contextlib.contextmanager
def bulk_load(tables=BULK_TABLES):
    """Load fast: the tables' plain (not unique) indexes dropped while the rows go in and built
    once from the sorted rows afterwards, instead of ten random B-tree inserts a call; on SQLite
    no journal, no sync and a 4 GB page cache for the load only. On PostgreSQL their foreign
    keys too, added again after (each checks every row in one join, where the deferred checks
    ran one lookup a row and key at COMMIT: minutes at 10M calls). Primary keys, unique indexes
    and triggers stay (the kept counts of reports 0005 are triggers: they count every row).
    Only what is loaded changes speed; what is timed later runs with the database's settings."""
    from django.db import connection

    sqlite = connection.vendor == "sqlite"
    with connection.cursor() as cur:
        if sqlite:
            for pragma in ("journal_mode=OFF", "synchronous=OFF", "cache_size=-4000000", "temp_store=MEMORY"):
                cur.execute(f"PRAGMA {pragma}")
            marks = ", ".join(["%s"] * len(tables))
            cur.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"  # noqa: S608
                f" AND sql NOT LIKE 'CREATE UNIQUE%%' AND tbl_name IN ({marks}) ORDER BY name",
                list(tables),
            )
        else:
            cur.execute(
                "SELECT c.relname, pg_get_indexdef(x.indexrelid) FROM pg_index x"
                " JOIN pg_class c ON c.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid"
                " WHERE t.relname = ANY(%s) AND t.relnamespace = to_regnamespace(current_schema())"
                " AND NOT x.indisunique AND NOT x.indisprimary ORDER BY c.relname",
                [list(tables)],
            )
        indexes = cur.fetchall()
        keys = []
        if not sqlite:
            cur.execute(
                "SELECT t.relname, c.conname, pg_get_constraintdef(c.oid) FROM pg_constraint c"
                " JOIN pg_class t ON t.oid = c.conrelid WHERE c.contype = 'f' AND t.relname = ANY(%s)"
                " AND t.relnamespace = to_regnamespace(current_schema()) ORDER BY 1, 2",
                [list(tables)],
            )
            keys = cur.fetchall()
        for table, name, _ in keys:
            cur.execute(f'ALTER TABLE "{table}" DROP CONSTRAINT "{name}"')
        for name, _ in indexes:
            cur.execute(f'DROP INDEX "{name}"')
    yield
    started = time.perf_counter()
    with connection.cursor() as cur:
        if not sqlite:
            cur.execute("SET maintenance_work_mem = '2GB'")
        for _, sql in indexes:
            cur.execute(sql)
        for table, name, definition in keys:
            cur.execute(f'ALTER TABLE "{table}" ADD CONSTRAINT "{name}" {definition}')
        if sqlite:
            # Back to what settings.py's init_command and SQLite's defaults give a connection.
            for pragma in (
                "journal_mode=WAL",
                "synchronous=NORMAL",
                "cache_size=-2000",
                "temp_store=DEFAULT",
            ):
                cur.execute(f"PRAGMA {pragma}")
        else:
            cur.execute("RESET maintenance_work_mem")
        cur.execute("ANALYZE")
    took = time.perf_counter() - started
    print(f"  {len(indexes)} indexes and {len(keys)} foreign keys back in {took:.0f} s", flush=True)


# --- the dashboards ------------------------------------------------------------------------


def dashboard(org, viewer, team, rng):
    """Every selector the manager dashboard calls, as the view calls them."""
    from leadtracker.reports import selectors

    ids = selectors.scope_user_ids(viewer, team)
    return (
        selectors.summary(org, rng, ids),
        selectors.by_hour(org, rng, ids),
        selectors.per_agent(org, rng, ids),
        selectors.daily(org, rng, ids),
        selectors.funnel(org, ids),
        selectors.conversion_by_source(org, rng, ids),
    )


def raw_dashboard(org, viewer, team, rng):
    """The same call figures with aggregate SQL over the raw calls and call-backs (the
    database converts times to the organisation's zone), leads figures as the selectors."""
    from django.db.models import Count, Max, Min, Q, Sum
    from django.db.models.functions import ExtractHour, TruncDate

    from leadtracker.calls.models import Call, CallBack, CallStatus
    from leadtracker.reports import selectors
    from leadtracker.reports.rollups import day_bounds

    ids = selectors.scope_user_ids(viewer, team)
    tz = org.tzinfo
    start, _ = day_bounds(tz, rng.start)
    _, end = day_bounds(tz, rng.end)
    calls = Call.objects.filter(organisation_id=org.pk, started_at__gte=start, started_at__lt=end)
    backs = CallBack.objects.filter(organisation_id=org.pk, missed_at__gte=start, missed_at__lt=end)
    if ids is not None:
        calls = calls.filter(user_id__in=ids)
        backs = backs.filter(missed_call__user_id__in=ids)
    counts = {s: Count("id", filter=Q(status=s)) for s in CallStatus.values}
    counts.update(
        calls=Count("id"),
        calls_in=Count("id", filter=Q(direction="in")),
        calls_out=Count("id", filter=Q(direction="out")),
        talk_seconds=Sum("duration_s", filter=Q(status__in=["answered", "connected", "answered_elsewhere"])),
        short_calls=Count("id", filter=Q(status__in=["answered", "connected"], duration_s__lt=10)),
    )
    total = calls.aggregate(**counts, first=Min("started_at"), last=Max("started_at"))
    day = TruncDate("started_at", tzinfo=tz)
    total["unique_leads"] = (
        calls.exclude(lead=None).annotate(d=day).values("user_id", "d", "lead_id").distinct().count()
    )
    waits = sorted(s for s in backs.exclude(closed_at=None).values_list("seconds_to_return", flat=True))
    total["waiting"] = backs.filter(closed_at=None).count()
    hours = list(calls.annotate(h=ExtractHour("started_at", tzinfo=tz)).values("h").annotate(**counts))
    agents = list(calls.values("user_id", "user__full_name").annotate(**counts))
    repeat = (
        calls.filter(direction="out")
        .annotate(d=day)
        .values("user_id", "d", "lead_id", "number")
        .annotate(n=Count("id"))
        .aggregate(m=Max("n"))
    )
    daily = list(calls.annotate(d=day).values("d").annotate(**counts))
    return (
        total,
        waits[len(waits) // 2] if waits else None,
        hours,
        agents,
        repeat,
        daily,
        selectors.funnel(org, ids),
        selectors.conversion_by_source(org, rng, ids),
    )


def run(args) -> None:
    label = args.db
    url = database_url(label, args.suffix)
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "leadtracker.settings")
    from bench.db import fresh_database, migrated_database

    if args.reuse and database_exists(url):
        migrated_database()
    else:
        fresh_database()
    from django.db import connection, transaction

    import bench.bench_leads_list as leads_bench
    from leadtracker.accounts.models import Membership, Organisation, Role
    from leadtracker.attendance.models import Shift
    from leadtracker.calls.models import Call, CallBack
    from leadtracker.leads.models import Lead, LeadStatus
    from leadtracker.leads.selectors import overdue_follow_ups
    from leadtracker.reports import rollups, selectors

    org = Organisation.objects.filter(slug="bench").first()
    if org is not None:
        # --reuse: the year loaded and rolled up by an earlier run with --keep (only new
        # migrations applied), so a change to the read side is timed in minutes, not an hour.
        owner = Membership.objects.get(organisation=org, role=Role.OWNER)
        managers = list(Membership.objects.filter(organisation=org, role=Role.MANAGER).order_by("pk"))
        loaded = {
            "calls": Call.objects.filter(organisation=org).count(),
            "call_backs": CallBack.objects.filter(organisation=org).count(),
            "shifts": Shift.objects.filter(organisation=org).count(),
            "load_s": None,
        }
        args.leads = Lead.objects.filter(organisation=org).count()
        person_days, rebuild_s = None, None
        print(f"{label}: reusing {url}: {args.leads} leads; {loaded}", flush=True)
    else:
        org, owner, managers, agent_ids = people()
        statuses = list(LeadStatus.objects.filter(organisation=org))
        leads_bench.N_LEADS = args.leads
        today = selectors.today_in(org)
        with bulk_load():
            with transaction.atomic():
                leads_s, _ = leads_bench.load(org, statuses, agent_ids)
            loaded = load_year(org, agent_ids, args.calls, today, args.load_minutes)
        print(f"{label}: {args.leads} leads in {leads_s:.0f} s; {loaded}", flush=True)

        started = time.perf_counter()
        person_days = rollups.rebuild(
            org,
            today - dt.timedelta(days=DAYS - 1),
            today,
            chunk_days=14,
            progress=lambda a, b, n: print(f"  rebuilt {a} to {b}: {n} person-days", flush=True),
        )
        rebuild_s = time.perf_counter() - started
        print(f"{label}: roll-ups rebuilt ({person_days} person-days) in {rebuild_s:.0f} s", flush=True)
    with connection.cursor() as cur:
        cur.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    if args.load_only:
        print(f"{label}: loaded and kept at {url}; time it with --reuse", flush=True)
        return

    rng = selectors.range_for(org, "30d")
    team = managers[3]
    rows = []
    for scope, viewer, team_arg in (("organisation", owner, None), ("one team of 20", team, None)):
        viewer = Membership.objects.get(pk=viewer.pk)
        # Same answers both ways, checked once before timing.
        fast, slow = dashboard(org, viewer, team_arg, rng), raw_dashboard(org, viewer, team_arg, rng)
        assert fast[0]["calls"] == slow[0]["calls"] and fast[0]["talk_seconds"] == slow[0]["talk_seconds"]
        assert fast[0]["missed_not_returned"] == slow[0]["waiting"]
        assert sum(h["calls"] for h in fast[1]) == sum(h["calls"] for h in slow[2])
        assert len(fast[2]) == len(slow[3])

        def fast_fn(viewer=viewer, team_arg=team_arg):
            # A request's viewer comes fresh from the database: no cached tree.
            viewer.__dict__.pop("_subtree_ids", None)
            dashboard(org, viewer, team_arg, rng)

        def slow_fn(viewer=viewer, team_arg=team_arg):
            viewer.__dict__.pop("_subtree_ids", None)
            raw_dashboard(org, viewer, team_arg, rng)

        fast_s = summary(timed(fast_fn, args.repeat))
        ids = selectors.scope_user_ids(viewer, team_arg)
        parts = {
            "summary": lambda ids=ids: selectors.summary(org, rng, ids),
            "by_hour": lambda ids=ids: selectors.by_hour(org, rng, ids),
            "per_agent": lambda ids=ids: selectors.per_agent(org, rng, ids),
            "daily": lambda ids=ids: selectors.daily(org, rng, ids),
            "funnel": lambda ids=ids: selectors.funnel(org, ids),
            "conversion": lambda ids=ids: selectors.conversion_by_source(org, rng, ids),
            # The live tile the page adds over the selectors (leads, not calls: it grows with them).
            "overdue": lambda viewer=viewer: overdue_follow_ups(viewer),
            # What the whole organisation's page reads instead since reports 0005: overdue
            # follow-ups and missed calls waiting from the kept counts, one statement.
            "live_counts": lambda: selectors.organisation_live_counts(org.pk),
        }
        breakdown = {
            name: summary(timed(fn, max(5, args.repeat // 5)))["p50_ms"] for name, fn in parts.items()
        }
        slow_s = summary(timed(slow_fn, max(3, args.repeat // 10)))
        # The whole page as the server answers it (view, every tile's live count, template),
        # through Django's test client: what the selectors' time leaves out.
        from django.test import Client

        browser = Client()
        browser.force_login(viewer.user)
        assert browser.get("/dashboard/?range=30d").status_code == 200
        page_s = summary(timed(lambda browser=browser: browser.get("/dashboard/?range=30d"), args.repeat))
        rows.append(
            {
                "database": label,
                "scope": scope,
                "calls in 30 days": fast[0]["calls"],
                "roll-ups p50 ms": fast_s["p50_ms"],
                "roll-ups p95 ms": fast_s["p95_ms"],
                "raw SQL p50 ms": slow_s["p50_ms"],
                "raw SQL p95 ms": slow_s["p95_ms"],
                "ratio (p50)": round(slow_s["p50_ms"] / fast_s["p50_ms"], 1),
                "page p50 ms": page_s["p50_ms"],
                "page p95 ms": page_s["p95_ms"],
                "p50 ms per selector": ", ".join(f"{k} {v:.1f}" for k, v in breakdown.items()),
                "calls total": loaded["calls"],
                "rebuild s": None if rebuild_s is None else round(rebuild_s, 1),
            }
        )
        print(rows[-1], flush=True)
    write(
        f"{NAME}{args.suffix}-{label}",
        rows,
        notes=(
            f"{loaded['calls']:,} calls over {loaded.get('days') or DAYS} days, {N_AGENTS} agents, "
            f"{args.leads:,} leads, "
            f"{loaded['call_backs']:,} call-backs, {loaded['shifts']:,} shifts; 30-day dashboard = "
            "scope + summary + by_hour + per_agent + daily + funnel + conversion_by_source, "
            f"{args.repeat} timed runs (raw SQL: {max(3, args.repeat // 10)}). "
            + (
                f"Roll-ups rebuilt in {rebuild_s:.0f} s ({person_days:,} person-days)."
                if rebuild_s is not None
                else "Database reused from an earlier run (--reuse): no load or rebuild timed."
            )
        ),
    )
    connection.close()
    if not args.keep:
        drop(url)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--db",
        choices=["sqlite", "postgresql", "both"],
        default=os.environ.get("BENCH_DB_LABEL", "both"),
        help="which database (default: both, or BENCH_DB_LABEL as `python -m bench` sets it)",
    )
    parser.add_argument("--calls", type=int, default=int(os.environ.get("BENCH_DASHBOARD_CALLS", "10000000")))
    parser.add_argument("--leads", type=int, default=int(os.environ.get("BENCH_LEADS", "1000000")))
    parser.add_argument("--repeat", type=int, default=int(os.environ.get("BENCH_REPEAT", "50")))
    parser.add_argument(
        "--load-minutes",
        type=float,
        default=float(os.environ.get("BENCH_LOAD_MINUTES", "0")),
        help="stop writing calls after this long (newest days first; 0: no bound); the results say how many",
    )
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument(
        "--load-only", action="store_true", help="load, roll up and keep the database; time nothing"
    )
    parser.add_argument(
        "--reuse", action="store_true", help="time the database an earlier --keep run left (no loading)"
    )
    parser.add_argument(
        "--suffix",
        default=os.environ.get("BENCH_DASHBOARD_SUFFIX", ""),
        help="appended to the database's and the results' names (default: none)",
    )
    args = parser.parse_args()
    if args.db != "both":
        run(args)
        return 0
    arguments = ["--calls", str(args.calls), "--leads", str(args.leads), "--repeat", str(args.repeat)]
    arguments += ["--load-minutes", str(args.load_minutes), "--suffix", args.suffix]
    arguments += ["--keep"] if args.keep else []
    arguments += ["--reuse"] if args.reuse else []
    arguments += ["--load-only"] if args.load_only else []
    return each_database("bench_dashboard", arguments)


if __name__ == "__main__":
    sys.exit(main())
