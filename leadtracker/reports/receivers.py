"""Roll-up upkeep, connected to the lower apps' signals (they cannot import reports)."""

from django.dispatch import receiver

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
