from django.dispatch import receiver

from leadtracker.accounts.signals import organisation_created
from leadtracker.calls.models import DEFAULT_DISPOSITIONS, Disposition


@receiver(organisation_created)
def create_default_dispositions(sender, organisation, **kwargs):
    Disposition.objects.bulk_create(
        [
            Disposition(organisation=organisation, name=name, asks_follow_up=ask, position=i)
            for i, (name, ask) in enumerate(DEFAULT_DISPOSITIONS)
        ]
    )
