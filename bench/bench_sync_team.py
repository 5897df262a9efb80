"""Call sync as a team works (issue 21, item 5), in-process (sync.sync, no HTTP):

- team: 200 phones, each sending one day of 150–300 calls in batches of 20–60 (a phone syncs
  every few minutes), the batches of all phones interleaved in the order they would arrive;
- dialler: one auto-dialler phone with 5,000 calls in one day, in 50 batches of 100; the p50 of
  its first and of its last five batches says whether a batch costs more as its day fills.
  ``--sheet-logged N``: before each of its batches the outcome sheet logs N of the batch's
  calls to leads by hand (as when the agent saves the sheet before the phone syncs), so each
  batch absorbs N logged calls (the roll-ups take them off their day: reports/increments.py).

Each against a raw bulk insert of the same rows into the same table (calls_call), in the same
run, with the database driver alone: all rows in one transaction (executemany), and the same
batches each in a transaction of its own. ratio = synced calls/s ÷ raw rows/s.

    python -m bench.bench_sync_team --db sqlite
    python -m bench.bench_sync_team --db postgresql
    python -m bench.bench_sync_team --db sqlite --scenario dialler   # the dialler alone
"""

import argparse
import datetime as dt
import json
import os
import random
import statistics
import sys
import time

from bench import bench_sync as base
from bench.harness import write

NAME = "sync_team"
IST = dt.timezone(dt.timedelta(hours=5, minutes=30))


def setup(n_leads: int, n_phones: int):
    from bench.db import fresh_database

    fresh_database()
    from django.db import transaction

    import bench.bench_leads_list as leads_bench
    from leadtracker.accounts.actions import create_organisation
    from leadtracker.accounts.audit import Actor
    from leadtracker.accounts.models import Membership, Role, User
    from leadtracker.calls.actions import create_pairing_code, pair_device
    from leadtracker.leads.models import LeadStatus

    org, owner = create_organisation(name="Bench", slug="bench", owner_email="owner@bench.in")
    users = User.objects.bulk_create(
        [User(email=f"a{i}@bench.in", full_name=f"Agent {i}") for i in range(n_phones + 1)]
    )
    Membership.objects.bulk_create(
        [Membership(organisation=org, user=u, role=Role.AGENT, reports_to=owner) for u in users]
    )
    statuses = list(LeadStatus.objects.filter(organisation=org))
    leads_bench.N_LEADS = n_leads
    with transaction.atomic():
        _, numbers = leads_bench.load(org, statuses, [u.pk for u in users])
    devices = []
    for member in Membership.objects.select_related("organisation", "user").filter(
        organisation=org, role=Role.AGENT
    ):
        _code, raw = create_pairing_code(member, actor=Actor.system(), by=None)
        device, _token = pair_device(
            raw,
            name="Bench phone",
            platform="android",
            os_version="14",
            app_version="1",
            actor=Actor.system(),
        )
        devices.append(device)
    return org, devices, [f"+91{n}" for n in numbers]


def day_of_calls(n: int, leads: list[str], rng: random.Random, day_start: dt.datetime, span_s: int):
    calls = []
    moments = sorted(rng.sample(range(span_s), n))
    for i, offset in enumerate(moments):
        if rng.random() < 0.7:
            number = rng.choice(leads)
        else:
            number = "+91" + str(rng.randint(6_000_000_000, 9_999_999_999))
        x = rng.random()
        if x < 0.55:
            kind, duration = "outgoing", (0 if rng.random() < 0.4 else rng.randint(5, 600))
        elif x < 0.80:
            kind, duration = "incoming", rng.randint(0, 600)
        elif x < 0.95:
            kind, duration = "missed", 0
        else:
            kind, duration = "rejected", 0
        moment = day_start + dt.timedelta(seconds=offset)
        calls.append(
            {
                "device_call_id": str(i + 1),
                "number": number,
                "type": kind,
                "started_at": moment.astimezone(IST).isoformat(),
                "duration_s": duration,
            }
        )
    return calls


def open_shifts(org, devices, day_start: dt.datetime) -> None:
    from leadtracker.attendance.models import Shift, ShiftSource

    Shift.objects.bulk_create(
        [
            Shift(
                organisation=org,
                user_id=d.user_id,
                started_at=day_start - dt.timedelta(hours=1),
                started_via=ShiftSource.DEVICE,
            )
            for d in devices
        ]
    )


def log_sheets(device, calls: list[dict], n: int) -> None:
    """What the outcome sheet leaves for ``n`` of these calls before the phone syncs them: a call
    logged by hand a few seconds after the phone's began, under the sheet's key (not timed)."""
    from leadtracker.accounts.audit import Actor
    from leadtracker.accounts.models import Membership
    from leadtracker.calls.actions import log_call
    from leadtracker.calls.models import Call
    from leadtracker.leads.models import LeadPhone

    member = Membership.objects.select_related("organisation", "user").get(
        organisation_id=device.organisation_id, user_id=device.user_id
    )
    outgoing = [c for c in calls if c["type"] == "outgoing" and c["duration_s"] > 0]
    leads = dict(
        LeadPhone.objects.filter(
            organisation_id=device.organisation_id, e164__in={c["number"] for c in outgoing}
        ).values_list("e164", "lead_id")
    )
    for c in [c for c in outgoing if c["number"] in leads][:n]:
        at = dt.datetime.fromisoformat(c["started_at"]) + dt.timedelta(seconds=10)
        logged, _ = log_call(member, number=c["number"], started_at=at, duration_s=60, actor=Actor.system())
        Call.objects.filter(pk=logged.pk).update(outcome_key=f"sheet-{logged.pk}")


def send(batches, steps: list | None = None, sheet_logged: int = 0, cost: dict | None = None) -> list[float]:
    """(device, calls) in order through sync.sync; answers each batch's milliseconds. ``steps``:
    on SQLite, each batch's virtual-machine steps (÷100) are appended to it — what the batch
    reads and writes, whatever the machine's load. ``cost``: each batch's CPU milliseconds of
    this process (``cpu``: on SQLite the database's work too, on PostgreSQL not the server's)
    and statements (``statements``) are appended to its lists."""
    from django.db import connection, reset_queries

    from leadtracker.accounts.audit import Actor
    from leadtracker.calls.sync import sync

    counter = [0]

    def step():
        counter[0] += 1
        return 0

    counting = steps is not None and connection.vendor == "sqlite"
    statements = [0]

    def tally(execute, sql, params, many, context):
        statements[0] += 1
        return execute(sql, params, many, context)

    out = []
    for device, calls in batches:
        if sheet_logged:
            log_sheets(device, calls, sheet_logged)
        if counting:
            connection.ensure_connection()
            connection.connection.set_progress_handler(step, 100)
            counter[0] = 0
        statements[0] = 0
        c0, t0 = time.process_time(), time.perf_counter()
        with connection.execute_wrapper(tally):
            counts = sync(device, {"calls": calls}, actor=Actor.system())
        out.append((time.perf_counter() - t0) * 1000)
        if cost is not None:
            cost["cpu"].append((time.process_time() - c0) * 1000)
            cost["statements"].append(statements[0])
        if counting:
            connection.connection.set_progress_handler(None, 100)
            steps.append(counter[0])
        assert counts["stored"] == len(calls), counts
        if sheet_logged:
            from leadtracker.calls.models import Call

            assert not Call.objects.filter(organisation_id=device.organisation_id, via="manual").exists()
        reset_queries()
    return out


def raw_insert(url: str, org_id: int, user_ids: list[int], batch_sizes: list[int]) -> dict[str, float]:
    """Read back the synced rows of these people, delete them, insert them again with the driver
    alone: all in one transaction, then (deleted again) in the sync's batches, a transaction each."""
    from leadtracker.calls.sync import COLUMNS

    pg = not url.startswith("sqlite:///")
    mark = "%s" if pg else "?"
    columns = ", ".join(COLUMNS)
    one = "(" + ", ".join([mark] * len(COLUMNS)) + ")"
    users = ", ".join(str(int(u)) for u in user_ids)
    where = f"organisation_id = {int(org_id)} AND user_id IN ({users})"
    conn = base.raw_connect(url)
    cur = conn.cursor()
    cur.execute(f"SELECT {columns} FROM calls_call WHERE {where} ORDER BY id")  # noqa: S608
    rows = cur.fetchall()
    if pg:
        conn.commit()
    out = {}
    for way in ("one transaction", "per batch"):
        cur.execute(f"DELETE FROM calls_callback WHERE organisation_id = {int(org_id)}")  # noqa: S608
        cur.execute(f"DELETE FROM calls_call WHERE {where}")  # noqa: S608
        if pg:
            conn.commit()
        chunks = [rows] if way == "one transaction" else []
        if not chunks:
            at = 0
            for size in batch_sizes:
                chunks.append(rows[at : at + size])
                at += size
        started = time.perf_counter()
        for chunk in chunks:
            if not pg:
                cur.execute("BEGIN IMMEDIATE")
            cur.executemany(f"INSERT INTO calls_call ({columns}) VALUES {one}", chunk)  # noqa: S608
            conn.commit() if pg else cur.execute("COMMIT")
        out[way] = len(rows) / (time.perf_counter() - started)
    conn.close()
    return out


def _cost(cost: dict) -> dict:
    """A batch's CPU (this process: on PostgreSQL the server's is not in it) and statements,
    the figures the machine's load moves least."""
    return {
        "cpu_p50_ms": p50(cost["cpu"]),
        "cpu_mean_ms": round(statistics.fmean(cost["cpu"]), 1),
        "statements_per_batch": round(statistics.fmean(cost["statements"]), 1),
    }


def p50(samples):
    return round(statistics.median(samples), 1)


def run(args) -> None:
    label = args.db
    url = base.database_url(label).replace("_sync", "_sync_team").replace("sync.sqlite3", "sync_team.sqlite3")
    if args.suffix and label == "postgresql":  # two runs at once (before and after), a database each
        url += f"_{args.suffix}"
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "leadtracker.settings")
    os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-not-for-production-use-0123456789")
    os.environ.update(base.SETTINGS_ENV)
    org, devices, numbers = setup(args.leads, args.phones)

    rng = random.Random(21)
    tz = org.tzinfo
    today = dt.datetime.now(tz).date()
    day_start = dt.datetime.combine(today - dt.timedelta(days=1), dt.time(9), tz).astimezone(dt.UTC)
    team, dialler = devices[:-1], devices[-1]
    open_shifts(org, devices, day_start)
    leads = rng.sample(numbers, min(len(numbers), 20000))

    rows = [] if args.scenario == "dialler" else team_run(url, org, team, leads, rng, day_start)
    rows.append(dialler_run(url, org, dialler, leads, rng, day_start, args.dialler_calls, args.sheet_logged))
    notes = (
        f"{label}; {args.leads:,} leads; sync.sync in-process (no HTTP, no auth), batches timed one by one; "
        "calls/s = calls ÷ summed batch time; raw = the same rows re-inserted into calls_call by the "
        "driver (executemany), in one transaction and per batch; ratio against the one transaction. "
        f"load = 1/5/15-min load average before → after. {base.machine()}. Code: {base.code_version()}."
    )
    print(json.dumps(rows, ensure_ascii=False), flush=True)
    columns = {c: None for r in rows for c in r}  # the table's columns are the first row's
    write(f"{NAME}_{label}", [{**columns, **r} for r in rows], notes=notes)


def team_run(url: str, org, team, leads, rng, day_start) -> list[dict]:
    """Each phone's day cut into batches of 20–60, stamped with when the phone would send them
    (its last call's time), all phones' batches sorted by that time."""
    from django.db import connection

    queued = []
    for device in team:
        calls = day_of_calls(rng.randint(150, 300), leads, rng, day_start, 10 * 3600)
        at = 0
        while at < len(calls):
            size = rng.randint(20, 60)
            chunk = calls[at : at + size]
            queued.append((chunk[-1]["started_at"], device.pk, device, chunk))
            at += size
    queued.sort(key=lambda q: (q[0], q[1]))
    team_batches = [(d, c) for _, _, d, c in queued]
    n_team = sum(len(c) for _, c in team_batches)
    load_before = base.load_average()
    steps: list[int] = []
    cost = {"cpu": [], "statements": []}
    ms = send(team_batches, steps, cost=cost)
    load_after = base.load_average()
    team_per_s = n_team / (sum(ms) / 1000)
    connection.close()
    raw = raw_insert(url, org.pk, [d.user_id for d in team], [len(c) for _, c in team_batches])
    rows = [
        {
            "scenario": f"team: {len(team)} phones, interleaved",
            "calls": n_team,
            "batches": len(ms),
            "batch_p50_ms": p50(ms),
            "first_5_p50_ms": p50(ms[:5]),
            "last_5_p50_ms": p50(ms[-5:]),
            "calls_per_s": round(team_per_s),
            "raw_one_tx_per_s": round(raw["one transaction"]),
            "raw_per_batch_per_s": round(raw["per batch"]),
            "ratio": round(team_per_s / raw["one transaction"], 3),
            "load": f"{load_before} → {load_after}",
            **_cost(cost),
            "first_5_p50_steps": p50(steps[:5]) if steps else None,
            "last_5_p50_steps": p50(steps[-5:]) if steps else None,
            # Steps per call: the team's batches differ in size (20–60 calls).
            "first_100_steps_per_call": round(
                sum(steps[:100]) / sum(len(c) for _, c in team_batches[:100]), 2
            )
            if steps
            else None,
            "last_100_steps_per_call": round(
                sum(steps[-100:]) / sum(len(c) for _, c in team_batches[-100:]), 2
            )
            if steps
            else None,
        }
    ]
    return rows


def dialler_run(url: str, org, dialler, leads, rng, day_start, n_calls: int, sheet_logged: int = 0) -> dict:
    from django.db import connection

    calls = day_of_calls(n_calls, leads, rng, day_start, 11 * 3600)
    dial_batches = [(dialler, calls[i : i + 100]) for i in range(0, len(calls), 100)]
    load_before = base.load_average()
    steps: list[int] = []
    cost = {"cpu": [], "statements": []}
    ms = send(dial_batches, steps, sheet_logged, cost)
    load_after = base.load_average()
    dial_per_s = len(calls) / (sum(ms) / 1000)
    connection.close()
    raw = raw_insert(url, org.pk, [dialler.user_id], [len(c) for _, c in dial_batches])
    return {
        "scenario": f"dialler: 1 phone, {len(calls):,} calls in a day"
        + (f", {sheet_logged} a batch logged by the sheet first" if sheet_logged else ""),
        "calls": len(calls),
        "batches": len(ms),
        "batch_p50_ms": p50(ms),
        "first_5_p50_ms": p50(ms[:5]),
        "last_5_p50_ms": p50(ms[-5:]),
        "calls_per_s": round(dial_per_s),
        "raw_one_tx_per_s": round(raw["one transaction"]),
        "raw_per_batch_per_s": round(raw["per batch"]),
        "ratio": round(dial_per_s / raw["one transaction"], 3),
        "load": f"{load_before} → {load_after}",
        **_cost(cost),
        "first_5_ms": [round(x, 1) for x in ms[:5]],
        "last_5_ms": [round(x, 1) for x in ms[-5:]],
        # SQLite: the VM's steps ÷ 100 of the first and last five batches (load-independent).
        "first_5_p50_steps": p50(steps[:5]) if steps else None,
        "last_5_p50_steps": p50(steps[-5:]) if steps else None,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--db", choices=["sqlite", "postgresql"], default=os.environ.get("BENCH_DB_LABEL", "sqlite")
    )
    parser.add_argument("--leads", type=int, default=50000)
    parser.add_argument("--suffix", default="", help="PostgreSQL: the database's name ends with it")
    parser.add_argument("--phones", type=int, default=200)
    parser.add_argument("--dialler-calls", type=int, default=5000)
    parser.add_argument("--scenario", choices=["both", "dialler"], default="both")
    parser.add_argument(
        "--sheet-logged", type=int, default=0, help="dialler: calls of each batch logged by the sheet first"
    )
    run(parser.parse_args())
    return 0


if __name__ == "__main__":
    sys.exit(main())
