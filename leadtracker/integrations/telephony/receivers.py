"""What the calls app asks of telephony through its signals (it cannot import integrations)."""

from django.dispatch import receiver

from leadtracker.calls.signals import line_numbers
from leadtracker.integrations.telephony import selectors


@receiver(line_numbers)
def company_lines(sender, organisation, **kwargs):
    return selectors.line_numbers(organisation)
