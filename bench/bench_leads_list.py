"""Leads at a million: the list's first page filtered by owner and status, sorted by next
follow-up; and a phone search by the last 6 digits. Server time through the real API (auth,
visibility, throttling, serialisation) and through the selector alone, each against the
hand-written SQL doing the same job, in the same run.
"""

import datetime as dt
import os
import random
import time

from bench.db import fresh_database
from bench.harness import summary, timed, write

N_LEADS = int(os.environ.get("BENCH_LEADS", "1000000"))
N_AGENTS = 200
REPEAT = int(os.environ.get("BENCH_REPEAT", "200"))


def load(org, statuses, agent_ids):
    """Bulk-load leads and their numbers straight into the tables (the fastest each database allows)."""
    from django.db import connection

    rng = random.Random(7)
    now = dt.datetime.now(dt.UTC)
    status_ids = [s.pk for s in statuses]
    numbers = rng.sample(range(6_000_000_000, 9_999_999_999), N_LEADS)
    lead_cols = (
        "organisation_id",
        "name",
        "company",
        "email",
        "phone",
        "phone_raw",
        "city",
        "address",
        "status_id",
        "owner_id",
        "created_at",
        "updated_at",
        "next_follow_up_at",
        "do_not_call",
        "marketing_consent",
        "lost_reason",
        "extra",
    )

    def lead_rows():
        for i in range(N_LEADS):
            nxt = None if rng.random() < 0.3 else now + dt.timedelta(minutes=rng.randint(-20000, 60000))
            created = now - dt.timedelta(minutes=rng.randint(0, 525600))
            yield (
                org.pk,
                f"Lead {i}",
                "",
                "",
                f"+91{numbers[i]}",
                str(numbers[i]),
                "Pune",
                "",
                rng.choice(status_ids),
                rng.choice(agent_ids),
                created,
                created,
                nxt,
                False,
                False,
                "",
                "{}",
            )

    def phone_rows(first_id):
        for i in range(N_LEADS):
            e164 = f"+91{numbers[i]}"
            yield (org.pk, first_id + i, e164, str(numbers[i]), e164[1:][::-1], 0)

    phone_cols = ("organisation_id", "lead_id", "e164", "raw", "digits_reversed", "position")
    started = time.perf_counter()
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            with cur.copy(f"COPY leads_lead ({', '.join(lead_cols)}) FROM STDIN") as copy:
                for row in lead_rows():
                    copy.write_row(row)
            cur.execute("SELECT min(id) FROM leads_lead")
            first = cur.fetchone()[0]
            with cur.copy(f"COPY leads_leadphone ({', '.join(phone_cols)}) FROM STDIN") as copy:
                for row in phone_rows(first):
                    copy.write_row(row)
            cur.execute("ANALYZE")
        else:
            marks = ", ".join(["%s"] * len(lead_cols))
            cur.executemany(f"INSERT INTO leads_lead ({', '.join(lead_cols)}) VALUES ({marks})", lead_rows())
            cur.execute("SELECT min(id) FROM leads_lead")
            first = cur.fetchone()[0]
            marks = ", ".join(["%s"] * len(phone_cols))
            cur.executemany(
                f"INSERT INTO leads_leadphone ({', '.join(phone_cols)}) VALUES ({marks})", phone_rows(first)
            )
            cur.execute("ANALYZE")
    return time.perf_counter() - started, numbers


def main():
    fresh_database()
    from django.db import connection, transaction
    from django.test import Client

    from leadtracker.accounts.actions import create_api_token, create_organisation
    from leadtracker.accounts.audit import Actor
    from leadtracker.accounts.models import Membership, Role, User
    from leadtracker.leads import selectors
    from leadtracker.leads.models import LeadStatus
    from leadtracker.lib.pagination import keyset_sorted

    org, owner = create_organisation(name="Bench", slug="bench", owner_email="owner@bench.in")
    users = User.objects.bulk_create(
        [User(email=f"a{i}@bench.in", full_name=f"Agent {i}") for i in range(N_AGENTS)]
    )
    Membership.objects.bulk_create(
        [Membership(organisation=org, user=u, role=Role.AGENT, reports_to=owner) for u in users]
    )
    statuses = list(LeadStatus.objects.filter(organisation=org))
    with transaction.atomic():
        load_seconds, numbers = load(org, statuses, [u.pk for u in users])
    agent = users[17]
    status = statuses[1]
    _tok, raw = create_api_token(owner, name="bench", actor=Actor.system())
    client = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    suffix = str(numbers[12345])[-6:]

    list_url = f"/api/v1/leads?owner={agent.pk}&status={status.pk}&sort=next_follow_up&limit=50"
    search_url = f"/api/v1/leads?q={suffix}&limit=50"
    assert (
        len(client.get(list_url).json()["items"]) == min(50, N_LEADS // (N_AGENTS * 7) // 2)
        or N_LEADS < 100000
    )
    found = client.get(search_url).json()["items"]
    assert any(item["phone"].endswith(suffix) for item in found), found

    nulls_last = "NULLS LAST"  # both databases accept it (SQLite since 3.30)
    list_sql = (
        "SELECT * FROM leads_lead WHERE organisation_id = %s AND owner_id = %s AND status_id = %s "
        f"ORDER BY next_follow_up_at ASC {nulls_last}, id ASC LIMIT 51"
    )
    search_sql = (
        "SELECT l.* FROM leads_lead l WHERE l.organisation_id = %s AND l.id IN (SELECT p.lead_id FROM "
        "leads_leadphone p WHERE p.organisation_id = %s "
        "AND p.digits_reversed >= %s AND p.digits_reversed < %s) "
        f"ORDER BY l.next_follow_up_at ASC {nulls_last}, l.id ASC LIMIT 51"
    )
    rev = suffix[::-1]
    upper = rev[:-1] + chr(ord(rev[-1]) + 1)

    def sql(query, params):
        def run():
            with connection.cursor() as cur:
                cur.execute(query, params)
                cur.fetchall()

        return run

    viewer = Membership.objects.select_related("organisation").get(pk=owner.pk)

    def selector_list():
        qs = selectors.filter_leads(selectors.leads_for(viewer), viewer, owner=agent.pk, status=status.pk)
        keyset_sorted(qs, field="next_follow_up_at", descending=False, cursor=None, limit=50)

    def selector_search():
        qs = selectors.search(selectors.leads_for(viewer), suffix, org.pk, "IN")
        keyset_sorted(qs, field="next_follow_up_at", descending=False, cursor=None, limit=50)

    label = os.environ.get("BENCH_DB_LABEL", connection.vendor)
    rows = []
    for name, api_call, selector_call, raw_call in (
        (
            "list: owner + status, by next follow-up",
            lambda: client.get(list_url),
            selector_list,
            sql(list_sql, [org.pk, agent.pk, status.pk]),
        ),
        (
            "search: last 6 digits",
            lambda: client.get(search_url),
            selector_search,
            sql(search_sql, [org.pk, org.pk, rev, upper]),
        ),
    ):
        raw_s = summary(timed(raw_call, REPEAT))
        sel_s = summary(timed(selector_call, REPEAT))
        api_s = summary(timed(api_call, REPEAT))
        rows.append(
            {
                "database": label,
                "operation": name,
                "api_p50_ms": api_s["p50_ms"],
                "api_p95_ms": api_s["p95_ms"],
                "orm_p50_ms": sel_s["p50_ms"],
                "orm_p95_ms": sel_s["p95_ms"],
                "sql_p50_ms": raw_s["p50_ms"],
                "sql_p95_ms": raw_s["p95_ms"],
                "api/sql_p95": round(api_s["p95_ms"] / raw_s["p95_ms"], 1),
                "orm/sql_p95": round(sel_s["p95_ms"] / raw_s["p95_ms"], 1),
            }
        )
    write(
        f"leads_list_{label}",
        rows,
        notes=(
            f"{N_LEADS:,} leads, {N_AGENTS} agents, 7 statuses, one organisation; "
            f"loaded in {load_seconds:.0f} s. "
            f"{REPEAT} requests each, in-process (no network). api = the whole request through /api/v1/leads "
            "(token auth, throttle, visibility, keyset page, serialisation incl. numbers and tags); "
            "orm = the selector and keyset page only; sql = the hand-written query."
        ),
    )


if __name__ == "__main__":
    main()
