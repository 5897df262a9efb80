"""Signals that let higher apps react to accounts events without accounts importing them."""

from django.dispatch import Signal

# Sent inside the transaction that creates an organisation; kwargs: organisation, actor.
organisation_created = Signal()
