"""The worker's side of rules: an event's rules (queued by receivers.py once the change that
sent the signal commits), and the minute's scan of the time-based ones."""

import datetime as dt

from django_tasks import task

from leadtracker.automation import engine, scan
from leadtracker.automation.models import Trigger
from leadtracker.calls.models import Call, CallStatus
from leadtracker.lib.periodic import periodic


@task()
def run_event_rules(
    org_id: int,
    lead_ids: list[int],
    trigger: str,
    key: str,
    call_id: int | None = None,
    by_rule: int | None = None,
    depth: int = 0,
) -> int:
    """Ids only in the queued row: it must not hold a lead's details."""
    fired = 0
    for lead_id in lead_ids:
        fired += len(
            engine.handle_event(org_id, lead_id, trigger, key, call_id=call_id, by_rule=by_rule, depth=depth)
        )
    return fired


@task()
def run_missed_call_rules(org_id: int, user_id: int, moments: list[str]) -> int:
    """A phone's batch of calls: its missed calls from leads, each an event of its own."""
    missed = Call.objects.filter(
        organisation_id=org_id,
        user_id=user_id,
        started_at__in=[dt.datetime.fromisoformat(m) for m in moments],
        status=CallStatus.MISSED,
        lead__isnull=False,
    ).values_list("pk", "lead_id")
    fired = 0
    for call_id, lead_id in missed:
        fired += len(engine.handle_event(org_id, lead_id, Trigger.CALL_MISSED, str(call_id), call_id=call_id))
    return fired


# Every minute: the 5-minute SLA fires within a minute of its deadline.
@periodic(every=dt.timedelta(minutes=1))
@task()
def scan_time_rules() -> int:
    return scan.scan()
