"""What an access export costs the worker: a busy agent's export (a year of calls) and a lead
with a long history, built to a file — the time, the zip's size, and the peak memory Python
allocated while building it (tracemalloc, in a second run), at two sizes to show that memory
does not grow with the number of rows.
"""

import datetime as dt
import os
import tempfile
import time
import tracemalloc

from bench.db import fresh_database
from bench.harness import write

SIZES = [int(n) for n in os.environ.get("BENCH_EXPORT_CALLS", "20000,100000").split(",")]
LEAD_HISTORY = int(os.environ.get("BENCH_EXPORT_LEAD_ROWS", "2000"))


def load_calls(org, user, leads, n, start_at):
    from leadtracker.calls.models import Call

    rows = []
    for i in range(n):
        lead = leads[i % len(leads)]
        rows.append(
            Call(
                organisation=org,
                user=user,
                lead=lead,
                number=lead.phone,
                type="outgoing",
                status="connected",
                direction="out",
                started_at=start_at + dt.timedelta(seconds=i * 7),
                duration_s=30 + i % 300,
                note=f"Spoke about plan {i % 17}",
            )
        )
    Call.objects.bulk_create(rows, batch_size=5000)


def build(subject):
    from leadtracker.privacy.export.archive import build_zip

    with tempfile.TemporaryFile() as out:
        started = time.perf_counter()
        counts = build_zip(subject, out)
        seconds = time.perf_counter() - started
        size = out.tell()
    tracemalloc.start()
    with tempfile.TemporaryFile() as out:
        build_zip(subject, out)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return counts, seconds, size, peak


def main():
    fresh_database()
    from django.db import connection

    from leadtracker.accounts.actions import create_organisation
    from leadtracker.accounts.models import Membership, Role, User
    from leadtracker.leads.models import Activity, Lead, LeadPhone, LeadStatus
    from leadtracker.privacy.export.values import Subject

    org, owner = create_organisation(name="Bench", slug="bench", owner_email="owner@bench.in")
    status = LeadStatus.objects.filter(organisation=org).first()
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    leads = Lead.objects.bulk_create(
        [
            Lead(organisation=org, name=f"Lead {i}", phone=f"+9198{i:08d}", status=status, created_at=now)
            for i in range(1000)
        ]
    )
    if connection.vendor != "postgresql":  # bulk_create sets pks on PostgreSQL only (SQLite ≥ 3.35 too)
        leads = list(Lead.objects.filter(organisation=org).order_by("pk"))
    LeadPhone.objects.bulk_create(
        [
            LeadPhone(
                organisation=org,
                lead=lead,
                e164=lead.phone,
                raw=lead.phone,
                digits_reversed=lead.phone[1:][::-1],
            )
            for lead in leads
        ]
    )

    label = os.environ.get("BENCH_DB_LABEL", connection.vendor)
    rows = []
    for n in SIZES:
        user = User.objects.create(email=f"agent{n}@bench.in", full_name=f"Agent {n}")
        member = Membership.objects.create(organisation=org, user=user, role=Role.AGENT, reports_to=owner)
        load_calls(org, user, leads[:500], n, now - dt.timedelta(days=365))
        counts, seconds, size, peak = build(Subject(org=org, member=member))
        assert counts["calls"] == n, counts
        rows.append(
            {
                "database": label,
                "export": f"agent with {n:,} calls",
                "rows": sum(counts.values()),
                "seconds": round(seconds, 2),
                "zip_kb": round(size / 1024),
                "peak_python_mb": round(peak / 1024 / 1024, 1),
            }
        )

    # One lead with a long history: its calls (from the agents above) plus notes.
    lead = leads[600]
    Activity.objects.bulk_create(
        [
            Activity(organisation=org, lead=lead, kind="note", at=now, body=f"Note {i} about the visit")
            for i in range(LEAD_HISTORY)
        ]
    )
    user = User.objects.create(email="lead-agent@bench.in", full_name="Lead agent")
    load_calls(org, user, [lead], LEAD_HISTORY, now - dt.timedelta(days=200))
    counts, seconds, size, peak = build(Subject(org=org, lead=lead))
    rows.append(
        {
            "database": label,
            "export": f"lead with {counts['calls']:,} calls, {counts['activities']:,} notes",
            "rows": sum(counts.values()),
            "seconds": round(seconds, 2),
            "zip_kb": round(size / 1024),
            "peak_python_mb": round(peak / 1024 / 1024, 1),
        }
    )
    write(
        f"access_export_{label}",
        rows,
        "Building the zip (person.json + a CSV per kind) to a temporary file, as the worker does. "
        "Peak memory is what Python allocated at most during a second build (tracemalloc).",
    )


if __name__ == "__main__":
    main()
