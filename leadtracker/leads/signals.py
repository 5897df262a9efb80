"""Signals that let higher apps (calls) follow lead events without leads importing them."""

from django.dispatch import Signal

# Sent inside the transaction that changes a lead's owner, and after a merge (the duplicate's
# open work now belongs to the primary's owner); kwargs: lead, old_owner_id, new_owner_id.
lead_owner_changed = Signal()
