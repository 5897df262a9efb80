"""Issue 20 §1, the storage decision for custom fields: the same leads with the same two custom
values (BHK, a single choice; budget, money) held (a) in a JSON column on the lead with an
expression index per key, and (b) in a typed side table (lead, field, text/number/date) with
generic indexes. The query each answers: the list's first page, BHK = 2 and budget 40–60 lakh,
by next follow-up. Interleaved (a, b, a, b …) so a loaded machine weighs on both alike; the
load average is recorded with the figures.
"""

import datetime as dt
import json
import os
import random
import time

from bench.db import fresh_database
from bench.harness import summary, write

N_LEADS = int(os.environ.get("BENCH_LEADS", "200000"))
REPEAT = int(os.environ.get("BENCH_REPEAT", "100"))
BHK = ["1", "2", "3", "4", "5+"]
LEAD_COLS = (
    "organisation_id name company email phone phone_raw city address status_id owner_id created_at "
    "updated_at next_follow_up_at do_not_call marketing_consent lost_reason extra cf"
).split()


def rows(org_id, status_ids, owner_id):
    rng = random.Random(7)
    now = dt.datetime.now(dt.UTC)
    for i in range(N_LEADS):
        nxt = None if rng.random() < 0.3 else now + dt.timedelta(minutes=rng.randint(-20000, 60000))
        created = now - dt.timedelta(minutes=rng.randint(0, 525600))
        values = {"bhk": rng.choice(BHK), "budget": rng.randint(10, 200) * 100_000}
        yield (
            (org_id, f"Lead {i}", "", "", "", "", "Pune", "", rng.choice(status_ids), owner_id, created)
            + (created, nxt, False, False, "", "{}", json.dumps(values)),
            values,
        )


def load(org_id, status_ids, owner_id):
    from django.db import connection

    pg = connection.vendor == "postgresql"
    jtype = "jsonb" if pg else "text"
    with connection.cursor() as cur:
        cur.execute(f"ALTER TABLE leads_lead ADD COLUMN cf {jtype} NOT NULL DEFAULT '{{}}'")
        idtype = "bigserial" if pg else "integer"
        cur.execute(
            f"CREATE TABLE bench_fv (id {idtype} PRIMARY KEY, organisation_id bigint NOT NULL, "
            "lead_id bigint NOT NULL, field_id bigint NOT NULL, text varchar(200) NOT NULL DEFAULT '', "
            "number numeric(16, 2), date date)"
        )
        started = time.perf_counter()
        leads, values = [], []
        for lead, v in rows(org_id, status_ids, owner_id):
            leads.append(lead)
            values.append(v)
        if pg:
            with cur.copy(f"COPY leads_lead ({', '.join(LEAD_COLS)}) FROM STDIN") as copy:
                for row in leads:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(LEAD_COLS))
            cur.executemany(f"INSERT INTO leads_lead ({', '.join(LEAD_COLS)}) VALUES ({marks})", leads)
        cur.execute("SELECT min(id) FROM leads_lead")
        first = cur.fetchone()[0]

        def fv():
            for i, v in enumerate(values):
                yield (org_id, first + i, 1, v["bhk"], None)
                yield (org_id, first + i, 2, "", v["budget"])

        cols = "organisation_id, lead_id, field_id, text, number"
        if pg:
            with cur.copy(f"COPY bench_fv ({cols}) FROM STDIN") as copy:
                for row in fv():
                    copy.write_row(row)
        else:
            cur.executemany(f"INSERT INTO bench_fv ({cols}) VALUES (%s, %s, %s, %s, %s)", fv())
        if pg:
            cur.execute("CREATE INDEX cf_bhk ON leads_lead (organisation_id, (cf->>'bhk'))")
            cur.execute("CREATE INDEX cf_budget ON leads_lead (organisation_id, ((cf->>'budget')::numeric))")
        else:
            cur.execute("CREATE INDEX cf_bhk ON leads_lead (organisation_id, json_extract(cf, '$.bhk'))")
            cur.execute(
                "CREATE INDEX cf_budget ON leads_lead (organisation_id, json_extract(cf, '$.budget'))"
            )
        cur.execute("CREATE INDEX fv_text ON bench_fv (field_id, text, lead_id)")
        cur.execute("CREATE INDEX fv_number ON bench_fv (field_id, number, lead_id) WHERE number IS NOT NULL")
        cur.execute("CREATE INDEX fv_lead ON bench_fv (lead_id, field_id)")
        cur.execute("ANALYZE")
    return time.perf_counter() - started


def main():
    fresh_database()
    from django.db import connection

    from leadtracker.accounts.actions import create_organisation
    from leadtracker.leads.models import LeadStatus

    org, owner = create_organisation(name="Bench", slug="bench", owner_email="owner@bench.in")
    status_ids = list(LeadStatus.objects.filter(organisation=org).values_list("pk", flat=True))
    load_seconds = load(org.pk, status_ids, owner.pk)
    pg = connection.vendor == "postgresql"
    order = "ORDER BY next_follow_up_at ASC NULLS LAST, id ASC LIMIT 51"
    if pg:
        json_sql = (
            "SELECT * FROM leads_lead WHERE organisation_id = %s AND cf->>'bhk' = '2' "
            f"AND (cf->>'budget')::numeric BETWEEN 4000000 AND 6000000 {order}"
        )
    else:
        json_sql = (
            "SELECT * FROM leads_lead WHERE organisation_id = %s AND json_extract(cf, '$.bhk') = '2' "
            f"AND json_extract(cf, '$.budget') BETWEEN 4000000 AND 6000000 {order}"
        )
    side_sql = (
        "SELECT * FROM leads_lead WHERE organisation_id = %s "
        "AND id IN (SELECT lead_id FROM bench_fv WHERE field_id = 1 AND text = '2') "
        "AND id IN (SELECT lead_id FROM bench_fv WHERE field_id = 2 AND number BETWEEN 4000000 AND 6000000) "
        + order
    )

    def run(sql):
        with connection.cursor() as cur:
            cur.execute(sql, [org.pk])
            return cur.fetchall()

    assert [r[0] for r in run(json_sql)] == [r[0] for r in run(side_sql)]
    samples = {"json": [], "side": []}
    for _ in range(REPEAT):
        for name, sql in (("json", json_sql), ("side", side_sql)):
            start = time.perf_counter()
            run(sql)
            samples[name].append((time.perf_counter() - start) * 1000)
    label = os.environ.get("BENCH_DB_LABEL", connection.vendor)
    out = [{"database": label, "storage": name, **summary(s)} for name, s in samples.items()]
    write(
        f"fields_storage_{label}",
        out,
        notes=(
            f"{N_LEADS:,} leads; BHK = 2 (1 in 5) and budget 40–60 lakh (1 in 10); first page of 50 by next "
            f"follow-up; SQL only, interleaved; loaded in {load_seconds:.0f} s; "
            f"load average {os.getloadavg()[0]:.2f} at the end"
        ),
    )


if __name__ == "__main__":
    main()
