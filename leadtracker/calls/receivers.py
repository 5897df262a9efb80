import json

from django.db import connection
from django.dispatch import receiver

from leadtracker.accounts.signals import organisation_created
from leadtracker.calls import tasks
from leadtracker.calls.actions import link_calls_to_lead
from leadtracker.calls.models import (
    DEFAULT_OUTCOMES,
    NOT_CONNECTED_OUTCOMES,
    OUTCOME_STATUSES,
    CallBack,
    Outcome,
)
from leadtracker.calls.signals import calls_stored
from leadtracker.leads.models import Lead, LeadStatus
from leadtracker.leads.signals import lead_numbers_added, lead_owner_changed, leads_imported
from leadtracker.lib.bulk import text_array


@receiver(organisation_created)
def create_default_outcomes(sender, organisation, **kwargs):
    # The leads app (installed first) has made the default statuses by now.
    statuses = dict(
        LeadStatus.objects.filter(organisation=organisation, name__in=OUTCOME_STATUSES.values()).values_list(
            "name", "pk"
        )
    )
    Outcome.objects.bulk_create(
        [
            Outcome(
                organisation=organisation,
                name=name,
                asks_follow_up=ask,
                position=i,
                connected=name not in NOT_CONNECTED_OUTCOMES,
                sets_status_id=statuses.get(OUTCOME_STATUSES.get(name, "")),
            )
            for i, (name, ask) in enumerate(DEFAULT_OUTCOMES)
        ]
    )


@receiver(lead_owner_changed)
def move_open_call_backs(sender, lead, old_owner_id, new_owner_id, **kwargs):
    """A reassigned lead's missed calls go to its new owner (or, unassigned, to the managers),
    as its open follow-ups do: nobody keeps a call-back for a lead they can no longer open."""
    CallBack.objects.filter(lead_id=lead.pk, closed_at__isnull=True).update(assignee_id=new_owner_id)


@receiver(lead_numbers_added)
def link_calls(sender, lead, numbers, actor, **kwargs):
    """However a lead gets a number (made from a call, by hand, the API, a capture, a synced
    call), the calls with that number that were nobody's lead become this lead's."""
    link_calls_to_lead(lead, numbers, actor=actor)


# The numbers of a batch of imported leads that calls or open call-backs of nobody's lead
# have, in one statement: each number looked up in call_number_time and one_open_call_back.
# Written as SQL once, not two ORM querysets built every batch (a 100,000-row import has 100).
_WAITING_SQL = """
    SELECT number FROM calls_call
     WHERE organisation_id = %s AND lead_id IS NULL AND number IN ({numbers})
    UNION
    SELECT number FROM calls_callback
     WHERE organisation_id = %s AND lead_id IS NULL AND closed_at IS NULL AND number IN ({numbers})
"""
_WAITING = {
    "postgresql": _WAITING_SQL.format(numbers="SELECT unnest(%s::text[])"),
    "sqlite": _WAITING_SQL.format(numbers="SELECT value FROM json_each(%s)"),
}


def _waiting_numbers(org_id: int, numbers) -> set[str]:
    # The numbers as one parameter: a text[] on PostgreSQL, a JSON array on SQLite.
    values = text_array(numbers) if connection.vendor == "postgresql" else json.dumps(list(numbers))
    with connection.cursor() as cursor:
        cursor.execute(_WAITING[connection.vendor], [org_id, values, org_id, values])
        return {row[0] for row in cursor.fetchall()}


@receiver(leads_imported)
def link_imported_calls(sender, organisation, numbers, actor, **kwargs):
    """An imported lead takes the calls and call-backs of its numbers that were nobody's lead
    (a missed call from someone whose sheet is imported later). One indexed query a batch
    finds the few numbers that have any; only those leads are linked one by one."""
    lead_of = {e164: lead_id for lead_id, e164s in numbers.items() for e164 in e164s}
    if not lead_of:
        return
    waiting = _waiting_numbers(organisation.pk, lead_of)
    if not waiting:
        return
    leads = Lead.objects.in_bulk({lead_of[n] for n in waiting})
    for lead_id, lead in leads.items():
        link_calls_to_lead(lead, [n for n in waiting if lead_of[n] == lead_id], actor=actor)


@receiver(calls_stored)
def prompt_after_the_newest_call(sender, organisation, user_id, moments, **kwargs):
    tasks.queue_call_prompt(organisation, user_id, moments, pushes=kwargs.get("pushes"))
