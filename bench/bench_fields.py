"""Issue 20 §1: the lead list filtered by one choice and one range custom field at a million
leads — BHK = 2 (1 in 5) and budget 40–60 lakh (1 in 10), first page of 50 by next follow-up —
through the real API (token, visibility, the filters' checks, serialisation) and as the
hand-written SQL, interleaved, with the load average. BENCH_LEADS sets the size.
"""

import datetime as dt
import json
import os
import random
import time

from bench.db import fresh_database
from bench.harness import summary, write

N_LEADS = int(os.environ.get("BENCH_LEADS", "1000000"))
REPEAT = int(os.environ.get("BENCH_REPEAT", "200"))
BHK = ["1", "2", "3", "4+"]
COLS = (
    "organisation_id name company email phone phone_raw city address status_id owner_id created_at "
    "updated_at next_follow_up_at do_not_call marketing_consent lost_reason extra custom_fields"
).split()


def rows(org_id, status_ids, owner_ids):
    rng = random.Random(7)
    now = dt.datetime.now(dt.UTC)
    for i in range(N_LEADS):
        nxt = None if rng.random() < 0.3 else now + dt.timedelta(minutes=rng.randint(-20000, 60000))
        created = now - dt.timedelta(minutes=rng.randint(0, 525600))
        values = {"bhk": rng.choice(BHK + ["1"]), "budget": rng.randint(10, 200) * 100_000}
        if rng.random() < 0.1:
            del values["bhk"]
        yield (
            org_id,
            f"Lead {i}",
            "",
            "",
            "",
            "",
            "Pune",
            "",
            rng.choice(status_ids),
            rng.choice(owner_ids),
        ) + (
            created,
            created,
            nxt,
            False,
            False,
            "",
            "{}",
            json.dumps(values),
        )


def load(org_id, status_ids, owner_ids) -> float:
    from django.db import connection

    started = time.perf_counter()
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            with cur.copy(f"COPY leads_lead ({', '.join(COLS)}) FROM STDIN") as copy:
                for row in rows(org_id, status_ids, owner_ids):
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(COLS))
            cur.executemany(
                f"INSERT INTO leads_lead ({', '.join(COLS)}) VALUES ({marks})",
                rows(org_id, status_ids, owner_ids),
            )
        cur.execute("ANALYZE")
    return time.perf_counter() - started


def main():
    fresh_database()
    from django.db import connection, transaction
    from django.test import Client

    from leadtracker.accounts.actions import create_api_token, create_organisation
    from leadtracker.accounts.audit import Actor
    from leadtracker.accounts.models import Membership, Role, User
    from leadtracker.leads.fields.actions import create_field
    from leadtracker.leads.fields.indexes import ensure_index
    from leadtracker.leads.models import LeadStatus

    org, owner = create_organisation(name="Bench", slug="bench", owner_email="owner@bench.in")
    users = User.objects.bulk_create(
        [User(email=f"a{i}@bench.in", full_name=f"Agent {i}") for i in range(50)]
    )
    Membership.objects.bulk_create(
        [Membership(organisation=org, user=u, role=Role.AGENT, reports_to=owner) for u in users]
    )
    create_field(org, label="BHK", type="choice", choices=BHK, actor=Actor.system())
    create_field(org, label="Budget", type="money", actor=Actor.system())
    status_ids = list(LeadStatus.objects.filter(organisation=org).values_list("pk", flat=True))
    with transaction.atomic():
        load_seconds = load(org.pk, status_ids, [u.pk for u in users])
    # What the worker's index_custom_field task does after each field is made (PostgreSQL).
    for key in ("bhk", "budget"):
        ensure_index(key)
    _tok, raw = create_api_token(owner, name="bench", actor=Actor.system())
    client = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    url = "/api/v1/leads?field=bhk:eq:2&field=budget:range:40L..60L&limit=50"
    if connection.vendor == "postgresql":
        where = (
            "custom_fields -> 'bhk' = '\"2\"' AND (custom_fields -> 'budget') BETWEEN '4000000' AND '6000000'"
        )
    else:
        where = (
            "json_extract(custom_fields, '$.bhk') = '2' "
            "AND json_extract(custom_fields, '$.budget') BETWEEN 4000000 AND 6000000"
        )
    sql = (
        f"SELECT * FROM leads_lead WHERE organisation_id = %s AND {where} "
        "ORDER BY next_follow_up_at ASC NULLS LAST, id ASC LIMIT 51"
    )

    def run_sql():
        with connection.cursor() as cur:
            cur.execute(sql, [org.pk])
            return cur.fetchall()

    page = client.get(url).json()["items"]
    assert [i["id"] for i in page] == [r[0] for r in run_sql()][:50], "API and SQL disagree"
    assert all(i["fields"]["bhk"] == "2" and 4_000_000 <= i["fields"]["budget"] <= 6_000_000 for i in page)
    samples = {"api": [], "sql": []}
    for _ in range(2):
        client.get(url)
        run_sql()
    for _ in range(REPEAT):
        for name, call in (("api", lambda: client.get(url)), ("sql", run_sql)):
            start = time.perf_counter()
            call()
            samples[name].append((time.perf_counter() - start) * 1000)
    api_s, sql_s = summary(samples["api"]), summary(samples["sql"])
    label = os.environ.get("BENCH_DB_LABEL", connection.vendor)
    load_avg = os.getloadavg()[0]
    write(
        f"fields_{label}",
        [
            {
                "database": label,
                "leads": N_LEADS,
                "api_p50_ms": api_s["p50_ms"],
                "api_p95_ms": api_s["p95_ms"],
                "sql_p50_ms": sql_s["p50_ms"],
                "sql_p95_ms": sql_s["p95_ms"],
                "load_avg_1m": round(load_avg, 2),
            }
        ],
        notes=(
            f"{N_LEADS:,} leads with custom_fields (BHK, budget) loaded in {load_seconds:.0f} s; "
            f"GET {url} (first page by next follow-up) and the same SQL, "
            f"{REPEAT} each, interleaved, in-process."
        ),
    )


if __name__ == "__main__":
    main()
