"""What erasure costs: erasing one lead in an organisation of many (the free-text scans of the
audit log, task queue and notifications are the part that grows), and a ledger replay after a
restore, which hashes every number and e-mail of the organisation to find the people again.
"""

import datetime as dt
import os
import tempfile
import time
from pathlib import Path

from bench.db import fresh_database
from bench.harness import write

LEADS = int(os.environ.get("BENCH_ERASURE_LEADS", "100000"))
AUDIT_EVENTS = int(os.environ.get("BENCH_ERASURE_AUDIT", "100000"))
ERASED = 20


def main():
    fresh_database()
    from django.conf import settings
    from django.db import connection

    settings.ERASURE_LEDGER_PATH = Path(tempfile.mkdtemp()) / "ledger.jsonl"
    from leadtracker.accounts.actions import create_organisation
    from leadtracker.accounts.audit import Actor
    from leadtracker.accounts.models import AuditEvent
    from leadtracker.leads.models import Lead, LeadPhone, LeadStatus
    from leadtracker.privacy.erasure.actions import erase_lead
    from leadtracker.privacy.erasure.replay import replay_erasures

    org, _owner = create_organisation(name="Bench", slug="bench", owner_email="owner@bench.in")
    status = LeadStatus.objects.filter(organisation=org).first()
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    Lead.objects.bulk_create(
        [
            Lead(
                organisation=org,
                name=f"Lead {i}",
                email=f"lead{i}@bench.in",
                phone=f"+9198{i:08d}",
                status=status,
                created_at=now,
            )
            for i in range(LEADS)
        ],
        batch_size=5000,
    )
    leads = list(Lead.objects.filter(organisation=org).order_by("pk").values_list("pk", "phone", "email"))
    LeadPhone.objects.bulk_create(
        [
            LeadPhone(organisation=org, lead_id=pk, e164=phone, raw=phone, digits_reversed=phone[1:][::-1])
            for pk, phone, _email in leads
        ],
        batch_size=5000,
    )
    AuditEvent.objects.bulk_create(
        [
            AuditEvent(
                organisation=org,
                actor_kind="user",
                action="lead.update",
                object_type="lead",
                object_id=str(leads[i % LEADS][0]),
                changes={"fields": ["status"]},
                at=now,
            )
            for i in range(AUDIT_EVENTS)
        ],
        batch_size=5000,
    )
    label = os.environ.get("BENCH_DB_LABEL", connection.vendor)

    victims = [
        Lead.objects.select_related("organisation").get(pk=pk)
        for pk, _phone, _email in leads[:: LEADS // ERASED][:ERASED]
    ]
    times = []
    for lead in victims:
        started = time.perf_counter()
        erase_lead(lead, actor=Actor.system())
        times.append((time.perf_counter() - started) * 1000)
    times.sort()

    # An older backup brings them back: their numbers and e-mails on live leads again.
    for pk, phone, email in leads[:: LEADS // ERASED][:ERASED]:
        Lead.objects.filter(pk=pk).update(name="Back", email=email, phone=phone, erased_at=None)
        LeadPhone.objects.create(organisation=org, lead_id=pk, e164=phone, raw=phone)
    started = time.perf_counter()
    result = replay_erasures()
    replay_s = time.perf_counter() - started
    assert result["leads"] == ERASED, result

    rows = [
        {
            "database": label,
            "what": f"erase one lead among {LEADS:,} leads, {AUDIT_EVENTS:,} audit events",
            "p50": f"{times[len(times) // 2]:.0f} ms",
            "max": f"{times[-1]:.0f} ms",
        },
        {
            "database": label,
            "what": f"replay {ERASED} ledger entries over {LEADS:,} leads ({result['leads']} found again)",
            "p50": f"{replay_s:.2f} s",
            "max": "",
        },
    ]
    write(
        f"erasure_{label}",
        rows,
        "Erasing runs every eraser (rows rewritten, free-text scans of the audit log, task queue "
        "and notifications with LIKE); a replay hashes every number and e-mail of the organisation "
        "(HMAC-SHA256).",
    )


if __name__ == "__main__":
    main()
