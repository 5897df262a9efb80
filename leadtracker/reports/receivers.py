"""Roll-up upkeep, connected to the lower apps' signals (they cannot import reports)."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from leadtracker.accounts.models import AuditEvent, Organisation
from leadtracker.attendance.signals import shift_changed
from leadtracker.calls.models import Call
from leadtracker.calls.signals import calls_linked, calls_stored
from leadtracker.reports import increments, models, rollups


@receiver(post_delete, sender=Organisation)
def organisation_deleted(sender, instance, **kwargs):
    """The counts the database's triggers keep, deleted last. Deleting an organisation first sets
    its leads' source to NULL (its sources go), an UPDATE the created-lead trigger counts into rows
    of source 0 that the deletion had not collected: left, they would fail the organisation's
    foreign key at commit (the checks are deferred, so deleting them here, in the same
    transaction, is in time)."""
    for model in (models.CreatedCount, models.LeadCount, models.OrganisationDay, models.OrganisationHour):
        model.objects.filter(organisation_id=instance.pk).delete()


@receiver(calls_stored)
def calls_arrived(sender, organisation, user_id, moments, call_back_call_ids, **kwargs):
    calls, moves = kwargs.get("calls"), kwargs.get("call_back_moves")
    if calls is not None and moves is not None:
        # A sync batch of newly inserted calls and its call-backs' changes: both added; the
        # logged calls it absorbed, taken off.
        increments.add_calls(organisation, user_id, calls, moves=moves, removed=kwargs.get("removed") or ())
        return
    keys = rollups.keys_for_moments(organisation, ((user_id, m) for m in moments))
    call_back_keys = set()
    if call_back_call_ids:
        # The person-days of missed calls whose call-back changed: only their call-back figures
        # move, unless calls were stored on them too.
        pairs = Call.objects.filter(organisation_id=organisation.pk, pk__in=call_back_call_ids).values_list(
            "user_id", "started_at"
        )
        call_back_keys = rollups.keys_for_moments(organisation, pairs)
    calls = kwargs.get("calls")
    if calls is not None:
        # A sync batch of newly inserted calls, none replacing another: its figures are added.
        increments.add_calls(organisation, user_id, calls, call_back_keys)
        return
    rollups.refresh(organisation, keys, call_back_keys)


@receiver(calls_linked)
def lead_took_calls(sender, organisation, lead_id, calls, **kwargs):
    """Calls that were no lead's became ``lead_id``'s: their person-days gain it (added)."""
    increments.link_calls(organisation, lead_id, calls)


@receiver(shift_changed)
def shift_moved(sender, organisation, user_id, spans, **kwargs):
    keys = set()
    for start, end in spans:
        keys |= rollups.keys_for_span(organisation, user_id, start, end)
    rollups.refresh(organisation, keys)


# Writes of the leads app that change what a lead's calls count for, each recorded by an audit
# event in its own transaction. The event's object is the lead whose calls to recompute:
# - lead.erased: its numbers on the calls are blanked and its open call-backs dropped;
# - lead.merge: the primary, which by the time the event is written holds the duplicate's calls
#   too (the event does not say which calls moved, but the primary's calls are exactly the
#   calls of both leads). A person-day that called both leads now counts one lead, and its
#   dials to the two add up;
# (lead.calls_linked, calls with the lead's numbers that were no lead's becoming its calls, is
# followed by calls_linked above, which names the calls: their days' figures are added to.)
LEAD_CALLS_CHANGED = frozenset({"lead.erased", "lead.merge"})


@receiver(post_save, sender=AuditEvent)
def lead_calls_changed(sender, instance, created, **kwargs):
    """The person-days of the lead's calls follow, in the transaction that records the event."""
    if not created or instance.action not in LEAD_CALLS_CHANGED or instance.organisation is None:
        return
    org = instance.organisation
    pairs = Call.objects.filter(organisation_id=org.pk, lead_id=int(instance.object_id)).values_list(
        "user_id", "started_at"
    )
    rollups.refresh(org, rollups.keys_for_moments(org, pairs))
