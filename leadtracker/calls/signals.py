"""Signals that let higher apps (reports) follow call events without calls importing them."""

from django.dispatch import Signal

# Sent inside the transaction that stored calls (sync or a manual log), after the missed-call
# loop ran; kwargs: organisation, user_id (whose calls), moments (started_at of each call
# actually inserted — duplicates are not in it), call_back_call_ids (ids of the missed calls
# whose call-back opened, closed or moved; those calls may be anyone's, on any day).
calls_stored = Signal()

# Sent inside the transaction that records a call's outcome (again: it replaces the first);
# kwargs: call, actor. Automation rules follow outcomes by it.
call_outcome_recorded = Signal()

# Sent by the sync to ask the apps above which numbers are the organisation's cloud-telephony
# lines (integrations answers with its connectors' caller ids, E.164); kwargs: organisation.
# A phone's log row with such a number is the line ringing the agent for a call the provider
# reports itself, so it is not stored a second time.
line_numbers = Signal()

# Sent inside the transaction that made calls of numbers no lead had a lead's (link_calls_to_lead);
# kwargs: organisation, lead_id, calls ((id, user_id, started_at) of each call linked). The
# person-days of those calls now count a lead called.
calls_linked = Signal()
