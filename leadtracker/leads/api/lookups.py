"""Who asks, and the objects a path or body names: found in the caller's organisation, or 404."""

from django.utils.translation import gettext as _

from leadtracker.accounts.audit import Actor
from leadtracker.leads import selectors
from leadtracker.leads.models import Lead, LeadSource, LeadStatus
from leadtracker.lib.errors import ActionError


def actor_of(request) -> Actor:
    return Actor.from_request(request)


def lead_of(request, lead_id: int) -> Lead:
    return selectors.get_lead(request.membership, lead_id)


def status_of(request, status_id: int) -> LeadStatus:
    status = LeadStatus.objects.filter(organisation_id=request.org.pk, pk=status_id).first()
    if status is None:
        raise ActionError(_("no such status in this organisation"), field="status_id", status_code=404)
    return status


def source_of(request, source_id: int | None) -> LeadSource | None:
    if source_id is None:
        return None
    source = LeadSource.objects.filter(organisation_id=request.org.pk, pk=source_id).first()
    if source is None:
        raise ActionError(_("no such source in this organisation"), field="source_id", status_code=404)
    return source
