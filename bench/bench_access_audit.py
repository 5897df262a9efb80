"""What auditing access costs: the lead page, the API's lead, and a search by number (web and
API), each timed with the audit write and without it, in the same run, interleaved in rounds
so that drift in the machine's load falls on both alike. The audit log already holds many
events (its indexes are not empty), as it would after months of use.
"""

import datetime as dt
import os
import random
import time

from bench.db import bulk_insert, fresh_database
from bench.harness import summary, write

N_LEADS = int(os.environ.get("BENCH_LEADS", "100000"))
N_EVENTS = int(os.environ.get("BENCH_AUDIT_EVENTS", "500000"))
REPEAT = int(os.environ.get("BENCH_REPEAT", "200"))
ROUNDS = 10  # REPEAT requests per variant, in ROUNDS alternating blocks


def load(org, status_id, agent_id):
    """Leads (one agent owns them all), their numbers and an audit log, straight into the tables."""
    from django.db import connection

    rng = random.Random(11)
    now = dt.datetime.now(dt.UTC)
    numbers = rng.sample(range(6_000_000_000, 9_999_999_999), N_LEADS)
    lead_cols = (
        "organisation_id name company email phone phone_raw city address status_id owner_id created_at "
        "updated_at do_not_call marketing_consent lost_reason extra"
    ).split()
    phone_cols = ("organisation_id", "lead_id", "e164", "raw", "digits_reversed", "position")
    event_cols = (
        "organisation_id",
        "actor_kind",
        "action",
        "object_type",
        "object_id",
        "at",
        "user_agent",
        "changes",
    )

    def lead_rows():
        for i in range(N_LEADS):
            yield (
                org.pk,
                f"Lead {i}",
                "",
                "",
                f"+91{numbers[i]}",
                str(numbers[i]),
                "Pune",
                "",
                status_id,
                agent_id,
                now,
                now,
                False,
                False,
                "",
                "{}",
            )

    def phone_rows(first):
        for i in range(N_LEADS):
            e164 = f"+91{numbers[i]}"
            yield (org.pk, first + i, e164, str(numbers[i]), e164[1:][::-1], 0)

    def event_rows(first):
        for i in range(N_EVENTS):
            at = now - dt.timedelta(seconds=(N_EVENTS - i) * 20)
            yield (
                org.pk,
                "user",
                "lead.view",
                "lead",
                str(first + i % N_LEADS),
                at,
                "bench",
                '{"via": "web"}',
            )

    started = time.perf_counter()
    with connection.cursor() as cur:
        bulk_insert(cur, "leads_lead", lead_cols, lead_rows())
        cur.execute("SELECT min(id) FROM leads_lead")
        first = cur.fetchone()[0]
        bulk_insert(cur, "leads_leadphone", phone_cols, phone_rows(first))
        bulk_insert(cur, "accounts_auditevent", event_cols, event_rows(first))
        cur.execute("ANALYZE")
    return time.perf_counter() - started, numbers, first


def main():
    fresh_database()
    from django.conf import settings
    from django.db import connection, transaction

    # Pages render without a collectstatic run: the plain storage (the manifest's lookup is a dict
    # read, the same with and without the audit write).
    settings.STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"
    from django.test import Client

    from leadtracker.accounts.actions import create_api_token, create_organisation
    from leadtracker.accounts.audit import Actor
    from leadtracker.accounts.models import AuditEvent, Membership, Role, User
    from leadtracker.leads import access
    from leadtracker.leads.models import LeadStatus

    org, owner = create_organisation(name="Bench", slug="bench", owner_email="owner@bench.in")
    user = User.objects.create(email="agent@bench.in", full_name="Agent")
    agent = Membership.objects.create(organisation=org, user=user, role=Role.AGENT, reports_to=owner)
    status = LeadStatus.objects.filter(organisation=org).first()
    with transaction.atomic():
        load_seconds, numbers, first = load(org, status.pk, user.pk)

    web = Client()
    web.force_login(user, backend="leadtracker.accounts.auth.EmailBackend")
    session = web.session
    session["org_id"] = org.pk
    session.save()
    _tok, raw = create_api_token(agent, name="bench", actor=Actor.system())
    api = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")

    rng = random.Random(3)
    picks = [rng.randrange(N_LEADS) for _ in range(64)]

    def cycling(make_url, client):
        state = {"i": 0}

        def call():
            i = picks[state["i"] % len(picks)]
            state["i"] += 1
            response = client.get(make_url(i))
            assert response.status_code == 200, (make_url(i), response.status_code)

        return call

    operations = [
        ("lead page (web)", cycling(lambda i: f"/leads/{first + i}/", web)),
        ("lead (API)", cycling(lambda i: f"/api/v1/leads/{first + i}", api)),
        ("search by full number (web list)", cycling(lambda i: f"/leads/?q=0{numbers[i]}", web)),
        ("search by full number (API)", cycling(lambda i: f"/api/v1/leads?q=%2B91{numbers[i]}", api)),
    ]

    # The lead's view is sent and awaited (access_sent: its flush overlaps the page or the JSON),
    # the others written at once (record_access): both are replaced where leads/access calls them.
    real = {"record_access": access.record_access, "access_sent": access.access_sent}

    def settled():
        return None

    fake = {"record_access": lambda *args, **kwargs: None, "access_sent": lambda *args, **kwargs: settled}

    def set_audit(on: bool):
        for name in real:
            setattr(access, name, (real if on else fake)[name])

    label = os.environ.get("BENCH_DB_LABEL", connection.vendor)
    rows = []
    for name, call in operations:
        for on in (True, False):  # warm-up for both
            set_audit(on)
            call()
            call()
        samples = {True: [], False: []}
        before = AuditEvent.objects.count()
        for _round in range(ROUNDS):
            for on in (True, False) if _round % 2 == 0 else (False, True):
                set_audit(on)
                for _ in range(REPEAT // ROUNDS):
                    start = time.perf_counter()
                    call()
                    samples[on].append((time.perf_counter() - start) * 1000)
        written = AuditEvent.objects.count() - before
        assert written == REPEAT, (name, written)  # one event per audited request, none without
        with_s, without_s = summary(samples[True]), summary(samples[False])
        rows.append(
            {
                "database": label,
                "request": name,
                "with_p50_ms": with_s["p50_ms"],
                "without_p50_ms": without_s["p50_ms"],
                "with_p95_ms": with_s["p95_ms"],
                "without_p95_ms": without_s["p95_ms"],
                "p50_added_ms": round(with_s["p50_ms"] - without_s["p50_ms"], 3),
                "p95_added_ms": round(with_s["p95_ms"] - without_s["p95_ms"], 3),
            }
        )
    set_audit(True)
    write(
        f"access_audit_{label}",
        rows,
        notes=(
            f"{N_LEADS:,} leads of one agent, an audit log of {N_EVENTS:,} events; "
            f"loaded in {load_seconds:.0f} s. "
            f"{REPEAT} requests per variant as that agent (session for the web pages, a token for the API), "
            f"in {ROUNDS} alternating blocks, in-process (no network); each request opens another of 64 "
            "leads or searches another of their numbers. with = as shipped (one audit INSERT per request); "
            "without = the same code with the audit write replaced by a no-op."
        ),
    )


if __name__ == "__main__":
    main()
