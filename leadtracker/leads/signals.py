"""Signals that let higher apps (calls) follow lead events without leads importing them."""

from django.dispatch import Signal

# Sent inside the transaction that changes a lead's owner, and after a merge (the duplicate's
# open work now belongs to the primary's owner); kwargs: lead, old_owner_id, new_owner_id.
lead_owner_changed = Signal()

# Sent inside the transaction that gives a lead numbers (a new lead, numbers added or
# replaced); kwargs: lead, numbers (E.164), actor. Calls with those numbers that belong to no
# lead yet, and their open call-backs, follow the lead (calls.receivers).
lead_numbers_added = Signal()

# Sent inside the transaction of each batch of an import, once for the batch rather than once
# a lead (an import writes a thousand leads a statement); kwargs: organisation, numbers
# ({lead id: [E.164, …]} of the batch's new leads), actor. What lead_numbers_added does for
# one lead, calls.receivers does for the batch.
leads_imported = Signal()

# Sent inside the transaction of a lead's creation and of each change of its status, beside the
# webhook it queues; kwargs: lead, event ("created" | "status_changed"), key (one per change:
# the timeline entry's id), actor, and on a create known (create_context.QUESTIONS' answers).
# Automation rules follow leads by it.
lead_changed = Signal()
