"""Roll-up upkeep, connected to the lower apps' signals (they cannot import reports)."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from leadtracker.accounts.models import AuditEvent
from leadtracker.attendance.signals import shift_changed
from leadtracker.calls.models import Call
from leadtracker.calls.signals import calls_stored
from leadtracker.reports import rollups


@receiver(calls_stored)
def calls_arrived(sender, organisation, user_id, moments, call_back_call_ids, **kwargs):
    keys = rollups.keys_for_moments(organisation, ((user_id, m) for m in moments))
    if call_back_call_ids:
        pairs = Call.objects.filter(organisation_id=organisation.pk, pk__in=call_back_call_ids).values_list(
            "user_id", "started_at"
        )
        keys |= rollups.keys_for_moments(organisation, pairs)
    rollups.refresh(organisation, keys)


@receiver(shift_changed)
def shift_moved(sender, organisation, user_id, spans, **kwargs):
    keys = set()
    for start, end in spans:
        keys |= rollups.keys_for_span(organisation, user_id, start, end)
    rollups.refresh(organisation, keys)


@receiver(post_save, sender=AuditEvent)
def lead_erased(sender, instance, created, **kwargs):
    """An erasure blanks its lead's numbers on the calls and drops its open call-backs (in the
    transaction that records this event): the person-days of the lead's calls follow."""
    if not created or instance.action != "lead.erased" or instance.organisation is None:
        return
    org = instance.organisation
    pairs = Call.objects.filter(organisation_id=org.pk, lead_id=int(instance.object_id)).values_list(
        "user_id", "started_at"
    )
    rollups.refresh(org, rollups.keys_for_moments(org, pairs))
