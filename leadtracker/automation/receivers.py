"""Lower apps' signals, turned into queued rule runs once their transaction commits.

Nothing is read in the request that sent the signal: the check whether the organisation has a
rule for the event, and the queueing, happen after the commit (a change rolled back queues
nothing), so the hot paths of leads and calls pay no query for automation."""

from django.db import connection, transaction
from django.db.models import Exists
from django.dispatch import receiver

from leadtracker.automation.models import Rule, Trigger
from leadtracker.automation.tasks import run_event_rules, run_missed_call_rules
from leadtracker.calls.signals import call_outcome_recorded, calls_stored
from leadtracker.leads.signals import lead_changed, leads_imported

EVENTS = {"created": Trigger.LEAD_CREATED, "status_changed": Trigger.STATUS_CHANGED}
CREATED_RULES = "automation_created_rules"


# Asked after every import batch's and sync batch's commit: written as SQL once, not an ORM
# query built every time (about 1% of a 100,000-row import's CPU on SQLite).
_HAS_RULES = (
    'SELECT 1 FROM automation_rule WHERE organisation_id = %s AND "trigger" = %s AND is_active LIMIT 1'
)


def _has_rules(org_id: int, trigger: str) -> bool:
    with connection.cursor() as cursor:
        cursor.execute(_HAS_RULES, [org_id, str(trigger)])
        return cursor.fetchone() is not None


def created_rules(org_id: int) -> Exists:
    """Asked with a create's context (leads/create_context.QUESTIONS, added in apps.py), in the
    create's one statement of the organisation's settings: no statement of its own after it."""
    return Exists(Rule.objects.filter(organisation_id=org_id, trigger=Trigger.LEAD_CREATED, is_active=True))


def _queue(
    org_id: int, lead_ids: list[int], trigger: str, key: str, actor=None, call_id=None, has_rules=None
) -> None:
    extra = getattr(actor, "extra", None) or {}

    def enqueue():
        if has_rules if has_rules is not None else _has_rules(org_id, trigger):
            run_event_rules.enqueue(
                org_id,
                lead_ids,
                str(trigger),
                key,
                call_id=call_id,
                by_rule=extra.get("rule_id"),
                depth=extra.get("depth", 0),
            )

    transaction.on_commit(enqueue)


@receiver(lead_changed)
def lead_event(sender, lead, event, key, actor, known=None, **kwargs):
    if event in EVENTS:
        # A create says whether it found rules for it (read in its transaction); else ask.
        has_rules = (known or {}).get(CREATED_RULES) if event == "created" else None
        _queue(lead.organisation_id, [lead.pk], EVENTS[event], key, actor, has_rules=has_rules)


@receiver(leads_imported)
def leads_arrived(sender, organisation, numbers, **kwargs):
    if numbers:
        _queue(organisation.pk, sorted(numbers), Trigger.LEAD_CREATED, "created")


@receiver(call_outcome_recorded)
def outcome_recorded(sender, call, actor, **kwargs):
    if call.lead_id is not None:
        # Recording again replaces the outcome: each recording is an event of its own.
        key = f"{call.pk}:{call.outcome_id}:{call.disposed_at.timestamp():.0f}"
        _queue(call.organisation_id, [call.lead_id], Trigger.OUTCOME_RECORDED, key, actor, call_id=call.pk)


@receiver(calls_stored)
def calls_arrived(sender, organisation, user_id, moments, **kwargs):
    org_id = organisation.pk
    at = sorted({m.isoformat() for m in moments})

    def enqueue():
        if at and _has_rules(org_id, Trigger.CALL_MISSED):
            run_missed_call_rules.enqueue(org_id, user_id, at)

    transaction.on_commit(enqueue)
