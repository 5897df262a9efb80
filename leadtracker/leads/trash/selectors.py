"""Reads of the trash, with the same visibility as live leads: admins and owners see every
trashed lead, managers their team's and the unowned ones, agents their own."""

import datetime as dt

from django.db.models import QuerySet
from django.http import Http404

from leadtracker.accounts.models import Membership
from leadtracker.accounts.visibility import visible
from leadtracker.leads.models import TrashedLead


def trash_for(viewer: Membership) -> QuerySet:
    return visible(TrashedLead.objects.all(), viewer, owner_field="owner", unowned_to_managers=True)


def get_trashed(viewer: Membership, lead_id: int) -> TrashedLead:
    """A trashed lead the viewer may see, else 404 (another organisation's, a live lead's id
    and one that is not there are all answered alike)."""
    trashed = trash_for(viewer).select_related("deleted_by", "owner").filter(pk=lead_id).first()
    if trashed is None:
        raise Http404("no such lead in the trash")
    return trashed


def days_left(trashed: TrashedLead, now) -> int:
    """Whole days until the nightly job may purge it, counting today's part as a day."""
    return max(0, (trashed.purge_after - now + dt.timedelta(hours=23, minutes=59)).days)
