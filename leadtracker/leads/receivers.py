from django.dispatch import receiver

from leadtracker.accounts.signals import organisation_created
from leadtracker.leads.defaults import DEFAULT_STATUSES, DEFAULT_TEMPLATES
from leadtracker.leads.models import LeadStatus, MessageTemplate


@receiver(organisation_created)
def create_default_statuses(sender, organisation, **kwargs):
    LeadStatus.objects.bulk_create(
        [
            LeadStatus(organisation=organisation, name=name, kind=kind, position=i)
            for i, (name, kind) in enumerate(DEFAULT_STATUSES)
        ]
    )


@receiver(organisation_created)
def create_default_message_templates(sender, organisation, **kwargs):
    MessageTemplate.objects.bulk_create(
        [
            MessageTemplate(organisation=organisation, name=name, body=body, position=i)
            for i, (name, body) in enumerate(DEFAULT_TEMPLATES)
        ]
    )
