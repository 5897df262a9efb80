from django.dispatch import receiver

from leadtracker.accounts.signals import organisation_created
from leadtracker.leads.models import DEFAULT_STATUSES, LeadStatus


@receiver(organisation_created)
def create_default_statuses(sender, organisation, **kwargs):
    LeadStatus.objects.bulk_create(
        [
            LeadStatus(organisation=organisation, name=name, kind=kind, position=i)
            for i, (name, kind) in enumerate(DEFAULT_STATUSES)
        ]
    )
