"""Audited access to leads: who opened a lead, listed its calls or searched by a number.

Each helper writes one audit event, so a page pays one INSERT for it. The events hold ids and
a keyed fingerprint of a searched number, never a name or a number, so an erasure never has to
rewrite the log. An event names only a lead the person may open: the log answers "who looked at
this lead?", and an id that is nobody's, or another organisation's, was not a look at one.
"""

from leadtracker.accounts.audit import access_sent, number_fingerprint, record_access
from leadtracker.leads.selectors import leads_for, phone_query
from leadtracker.lib.phones import to_ascii_digits


def lead_viewed(request, lead_id: int, *, via: str, part: str = ""):
    """Called after the lead was loaded through visibility (the page and API answer 404 before).
    The event is sent, not awaited: call what this returns before answering (access_sent)."""
    changes = {"via": via, "part": part} if part else {"via": via}
    return access_sent(request, "lead.view", object_type="lead", object_id=lead_id, changes=changes)


def lead_calls_listed(request, lead_id: int, *, via: str) -> None:
    """A filter of the calls list by a lead id, which nothing loaded: recorded only for a lead the
    person may open (one indexed read), never for an id that does not exist or that they cannot
    see — the list answers with their own visible calls then, which is no look at that lead."""
    if not leads_for(request.membership).filter(pk=lead_id).exists():
        return
    record_access(request, "lead.calls_view", object_type="lead", object_id=lead_id, changes={"via": via})


def number_searched(request, text: str, *, via: str, cursor=None) -> None:
    """When ``text`` is a number (the lists' search finds leads by number then), record the
    search. The next pages of one search (a cursor) are the same search: not recorded again."""
    text = (text or "").strip()
    if not text or cursor or phone_query(text, request.org.pk, request.org.phone_region) is None:
        return
    digits = sum(ch.isdigit() for ch in to_ascii_digits(text))
    record_access(
        request,
        "lead.search_number",
        object_type="lead",
        changes={
            "via": via,
            "number_hash": number_fingerprint(request.org.pk, text, request.org.phone_region),
            "digits": digits,
        },
    )
