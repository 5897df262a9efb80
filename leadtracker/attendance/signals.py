"""Signals that let higher apps (reports) follow shift events without attendance importing them."""

from django.dispatch import Signal

# Sent inside the transaction that closed or corrected a shift; kwargs: organisation, user_id,
# spans: (started_at, ended_at or None) before and after the change.
shift_changed = Signal()
