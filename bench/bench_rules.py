"""The time-based rules' scan at 1,000,000 leads with 10 rules (issue 20 §2: under 1 s a run).

A million leads made over 90 days (ids in time order, as in life), each with its "created"
timeline entry and a fifth with an "owner changed" one, half of them called, a third with a
next follow-up, by 20 agents. Ten time-based rules of the three kinds (assigned N minutes ago
and not called; a follow-up overdue by N minutes; untouched for N days), some with conditions,
each adding a tag when it fires.

Measured:
- a steady run: each rule's place a minute behind (the scan runs every minute), so a run reads
  and fires what came due in that minute — the run the worker makes all day;
- a catch-up run: each rule's place an hour behind (a worker that was down), capped per rule
  by the scan's batches;
- finding only: each rule's first batch a day behind, read and not fired;
- the plan of each kind's query (it must read an index range, never the table).
"""

import datetime as dt
import logging
import os
import random
import time

from bench.db import bulk_insert, fresh_database
from bench.harness import summary, timed, write

N_LEADS = int(os.environ.get("BENCH_LEADS", "1000000"))
N_AGENTS = 20
DAYS = 90
REPEAT = int(os.environ.get("BENCH_REPEAT", "10"))
RULES = [
    ("SLA 5 min", "not_called", 5, {}),
    ("SLA 30 min", "not_called", 30, {}),
    ("SLA 60 min, on shift", "not_called", 60, {"on_shift": True}),
    ("Overdue 15 min", "follow_up_overdue", 15, {}),
    ("Overdue 60 min, hot", "follow_up_overdue", 60, {"tag_ids": "hot"}),
    ("Overdue 4 h", "follow_up_overdue", 240, {}),
    ("Untouched 3 days", "untouched", 3 * 1440, {}),
    ("Untouched 7 days, new", "untouched", 7 * 1440, {"status_ids": "new"}),
    ("Untouched 14 days", "untouched", 14 * 1440, {}),
    ("Untouched 30 days", "untouched", 30 * 1440, {}),
]


def load(org, status_id, agent_ids, now):
    from django.db import connection

    rng = random.Random(20)
    span = dt.timedelta(days=DAYS).total_seconds()
    lead_cols = (
        "organisation_id name company email phone phone_raw city address status_id owner_id created_at "
        "updated_at last_contacted_at next_follow_up_at do_not_call marketing_consent lost_reason extra"
    ).split()
    activity_cols = ("organisation_id", "lead_id", "kind", "at", "body", "data")

    def created_at(i):
        return now - dt.timedelta(seconds=span * (N_LEADS - i) / N_LEADS)

    def lead_rows():
        for i in range(N_LEADS):
            created = created_at(i)
            updated = min(now, created + dt.timedelta(hours=rng.randrange(0, 120)))
            contacted = created + dt.timedelta(minutes=3) if rng.random() < 0.5 else None
            follow_up = created + dt.timedelta(hours=rng.randrange(1, 240)) if rng.random() < 0.33 else None
            owner = agent_ids[i % N_AGENTS]
            yield (org.pk, f"Lead {i}", "", "", "", "", "Pune", "", status_id, owner, created, updated,
                   contacted, follow_up, False, False, "", "{}")  # fmt: skip

    def activity_rows(first):
        for i in range(N_LEADS):
            created = created_at(i)
            yield (org.pk, first + i, "created", created, "", '{"source": ""}')
            if i % 5 == 0:
                data = f'{{"from": null, "to": {agent_ids[i % N_AGENTS]}, "reason": "rules"}}'
                yield (org.pk, first + i, "owner", created + dt.timedelta(minutes=1), "", data)

    started = time.perf_counter()
    with connection.cursor() as cur:
        bulk_insert(cur, "leads_lead", lead_cols, lead_rows())
        cur.execute("SELECT min(id) FROM leads_lead")
        first = cur.fetchone()[0]
        bulk_insert(cur, "leads_activity", activity_cols, activity_rows(first))
        cur.execute("ANALYZE")
    return time.perf_counter() - started


def plans(rules, now):
    """The database's plan for each kind's scan query: an index range, not a scan of the table."""
    from django.db import connection

    from leadtracker.automation import scan
    from leadtracker.leads.models import Activity, Lead

    out = {}
    for rule in rules:
        if rule.trigger in out:
            continue
        upto = now - dt.timedelta(minutes=rule.wait_minutes)
        if rule.trigger == "not_called":
            qs = Activity.objects.filter(
                scan._after("at", rule.scanned_at, 0),
                organisation_id=rule.organisation_id,
                at__lte=upto,
                kind__in=["created", "owner"],
            ).order_by("at", "id")
        else:
            field = "next_follow_up_at" if rule.trigger == "follow_up_overdue" else "updated_at"
            qs = Lead.objects.filter(
                scan._after(field, rule.scanned_at, 0),
                organisation_id=rule.organisation_id,
                **{f"{field}__lte": upto},
            ).order_by(field, "id")
        sql, params = qs.values_list("id")[: scan.BATCH].query.sql_with_params()
        prefix = "EXPLAIN QUERY PLAN " if connection.vendor == "sqlite" else "EXPLAIN "
        with connection.cursor() as cur:
            cur.execute(prefix + sql, params)
            out[rule.trigger] = " / ".join(str(r[-1]) for r in cur.fetchall())
    return out


def main():
    fresh_database()
    # One line a firing is the worker's log; here it would be most of the run's time.
    logging.getLogger("leadtracker.automation").setLevel(logging.WARNING)
    from django.db import connection, transaction

    from leadtracker.accounts.actions import create_organisation
    from leadtracker.accounts.audit import Actor
    from leadtracker.accounts.models import Membership, Role, User
    from leadtracker.automation.actions import save_rule
    from leadtracker.automation.models import Rule, RuleRun
    from leadtracker.automation.scan import due_batch, scan
    from leadtracker.leads.actions.tags import create_tag
    from leadtracker.leads.models import LeadStatus

    org, owner = create_organisation(name="Bench", slug="bench", owner_email="owner@bench.in")
    agents = []
    for i in range(N_AGENTS):
        user = User.objects.create(email=f"agent{i}@bench.in", full_name=f"Agent {i}")
        Membership.objects.create(organisation=org, user=user, role=Role.AGENT, reports_to=owner)
        agents.append(user.pk)
    status = LeadStatus.objects.filter(organisation=org).first()
    hot = create_tag(org, "Hot", actor=Actor.system())
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    with transaction.atomic():
        load_seconds = load(org, status.pk, agents, now)
    names = {"hot": [hot.pk], "new": [status.pk]}
    rules = []
    for name, trigger, wait, conditions in RULES:
        conditions = {k: names[v] if isinstance(v, str) else v for k, v in conditions.items()}
        actions = [{"type": "add_tag", "tag": f"bench {len(rules)}"}]
        rule = save_rule(
            org, name=name, trigger=trigger, wait_minutes=wait, conditions=conditions, actions=actions,
            actor=Actor.system(),
        )  # fmt: skip
        rules.append(rule)

    def place(behind: dt.timedelta, at: dt.datetime):
        for r in rules:
            start = at - dt.timedelta(minutes=r.wait_minutes) - behind
            Rule.objects.filter(pk=r.pk).update(scanned_at=start, scanned_id=0)

    def run(behind, at):
        place(behind, at)
        before = RuleRun.objects.count()
        start = time.perf_counter()
        scan(now=at)
        return (time.perf_counter() - start) * 1000, RuleRun.objects.count() - before

    rows = []
    load_avg = os.getloadavg()
    # Steady: each repeat a minute later than the one before, as the worker runs it.
    steady, fired = [], []
    for k in range(REPEAT):
        ms, n = run(dt.timedelta(minutes=1), now - dt.timedelta(minutes=REPEAT - k))
        steady.append(ms)
        fired.append(n)
    per_run = round(sum(fired) / len(fired), 1)
    rows.append({"run": "steady (a minute's events, 10 rules)", **summary(steady), "fired_per_run": per_run})
    # Catch-up: a worker that was down for an hour; each rule reads up to its batches' cap.
    ms, n = run(dt.timedelta(hours=1), now)
    rows.append({"run": "catch-up (an hour behind)", "p50_ms": round(ms, 1), "p95_ms": round(ms, 1), "n": 1,
                 "fired_per_run": n})  # fmt: skip
    # Finding only: each rule's batch read through its index, nothing fired — a minute's events
    # (the steady run's reading), then a day's (the first batch of a rule a day behind).
    place(dt.timedelta(minutes=1), now)
    fresh = list(Rule.objects.filter(pk__in=[r.pk for r in rules]))
    finding = timed(lambda: [due_batch(r, now) for r in fresh], REPEAT)
    rows.append(
        {"run": "finding only (a minute's events of each rule)", **summary(finding), "fired_per_run": 0}
    )
    # Finding only, a day behind: each rule's first batch read through its index, nothing fired.
    place(dt.timedelta(days=1), now)
    fresh = list(Rule.objects.filter(pk__in=[r.pk for r in rules]))
    finding = timed(lambda: [due_batch(r, now) for r in fresh], REPEAT)
    rows.append(
        {
            "run": "finding only (first batch of each rule, a day behind)",
            **summary(finding),
            "fired_per_run": 0,
        }
    )
    plan = plans(rules, now)
    notes = (
        f"{connection.vendor}: {N_LEADS:,} leads, {len(rules)} time-based rules, load {load_seconds:.0f} s; "
        f"load average at the start {load_avg[0]:.2f} {load_avg[1]:.2f} {load_avg[2]:.2f} "
        f"on {os.cpu_count()} cores.\n\n" + "\n".join(f"- plan of `{k}`: {v}" for k, v in plan.items())
    )
    write(f"rules_{connection.vendor}", rows, notes)


if __name__ == "__main__":
    main()
