"""The API's per-request cost: bearer-token auth, membership lookup, visibility and
serialisation, for a page of 50 members in an organisation of 2,000 people.

Compared with the raw database reading the same 50 rows (one SELECT with a join), in the
same run, so the ratio is what our layers add, whatever the machine's speed.
"""

import os

from bench.db import fresh_database
from bench.harness import summary, timed, write

N_MEMBERS = 2000
REPEAT = 300


def main():
    fresh_database()
    from django.contrib.auth.hashers import make_password
    from django.db import connection
    from django.test import Client

    from leadtracker.accounts.actions import create_api_token, create_organisation
    from leadtracker.accounts.audit import Actor
    from leadtracker.accounts.models import Membership, Role, User

    org, owner = create_organisation(name="Bench", slug="bench", owner_email="owner@bench.in")
    password = make_password("not-used-for-login-here")
    users = User.objects.bulk_create(
        [
            User(email=f"agent{i}@bench.in", full_name=f"Agent {i}", password=password)
            for i in range(N_MEMBERS)
        ]
    )
    managers = Membership.objects.bulk_create(
        [Membership(organisation=org, user=u, role=Role.MANAGER, reports_to=owner) for u in users[:40]]
    )
    Membership.objects.bulk_create(
        [
            Membership(organisation=org, user=u, role=Role.AGENT, reports_to=managers[i % 40])
            for i, u in enumerate(users[40:])
        ]
    )
    _token, raw = create_api_token(owner, name="bench", actor=Actor.system())
    manager_token = create_api_token(managers[0], name="bench", actor=Actor.system())[1]
    client = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    manager_client = Client(HTTP_AUTHORIZATION=f"Bearer {manager_token}")
    assert client.get("/api/v1/members?limit=50").status_code == 200

    def api_owner():
        assert client.get("/api/v1/members?limit=50&cursor=500").status_code == 200

    def api_manager():
        assert manager_client.get("/api/v1/members?limit=50").status_code == 200

    sql = (
        "SELECT m.id, m.user_id, u.email, u.full_name, u.phone, m.role, m.reports_to_id, m.is_active, "
        "m.created_at "
        "FROM accounts_membership m JOIN accounts_user u ON u.id = m.user_id "
        "WHERE m.organisation_id = %s AND m.id > %s ORDER BY m.id LIMIT 51"
    )

    def raw_sql():
        with connection.cursor() as cur:
            cur.execute(sql, [org.pk, 500])
            cur.fetchall()

    rows = []
    label = os.environ.get("BENCH_DB_LABEL", "?")
    base = summary(timed(raw_sql, REPEAT))
    for name, fn in (
        ("GET /members as owner", api_owner),
        ("GET /members as manager (50 reports)", api_manager),
    ):
        s = summary(timed(fn, REPEAT))
        rows.append(
            {
                "database": label,
                "operation": name,
                "p50_ms": s["p50_ms"],
                "p95_ms": s["p95_ms"],
                "raw_sql_p50_ms": base["p50_ms"],
                "ratio_p50": round(s["p50_ms"] / base["p50_ms"], 1),
            }
        )
    write(
        f"api_members_{label}",
        rows,
        notes=f"{N_MEMBERS} members; a page of 50; {REPEAT} requests in-process (no network).",
    )


if __name__ == "__main__":
    main()
