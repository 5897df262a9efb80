"""The last-four-digits mode (Organisation.mask_other_numbers): the one place that decides
whether a viewer sees a number in full.

When the organisation has switched it on, an agent sees only the last four digits of the
numbers of leads they do not own ("•••••• 3210"); managers, admins and owners see numbers in
full. A number that belongs to no lead (an unknown caller in the agent's own call log) is
shown: it is not a lead's number, and it came from the agent's own phone.

Pages and the API never mask in templates: selectors and serialisers put ``number_shown`` (and
``number_masked``, which drops tel: links) on what they return, computed here.
"""

from leadtracker.accounts.models import Role
from leadtracker.lib.phones import display, to_ascii_digits

MASK = "••••••"


def masks_for(viewer) -> bool:
    """Whether this viewer sees others' numbers masked at all (one attribute read: the
    membership arrives with its organisation)."""
    return viewer is not None and viewer.role == Role.AGENT and viewer.organisation.mask_other_numbers


def hides(viewer, owner_id: int | None, *, has_lead: bool = True) -> bool:
    """Whether ``viewer`` must not see in full a number of a lead owned by ``owner_id``."""
    return has_lead and masks_for(viewer) and owner_id != viewer.user_id


def masked(number: str) -> str:
    """ "•••••• 3210": the last four digits. A number of four digits or fewer is all mask —
    its last four would be the whole of it."""
    digits = "".join(ch for ch in to_ascii_digits(number or "") if ch.isdigit())
    if len(digits) <= 4:
        return MASK
    return f"{MASK} {digits[-4:]}"


def shown(viewer, number: str, owner_id: int | None, *, has_lead: bool = True) -> str:
    """The number as this viewer may see it (unformatted when in full, for the API and CSV)."""
    if number and hides(viewer, owner_id, has_lead=has_lead):
        return masked(number)
    return number


def for_display(viewer, number: str, owner_id: int | None, *, has_lead: bool = True) -> str:
    """The number as this viewer may see it, written for people (+91 98765 43210)."""
    if not number:
        return ""
    if hides(viewer, owner_id, has_lead=has_lead):
        return masked(number)
    return display(number)


def mark_calls(viewer, calls) -> list:
    """Set ``number_shown`` and ``number_masked`` on calls (or call-backs) with their ``lead``
    loaded: masked when the call matched a lead the agent does not own."""
    calls = list(calls)
    for c in calls:
        c.number_masked = bool(c.number) and hides(viewer, lead_owner_of(c), has_lead=bool(c.lead_id))
        c.number_shown = masked(c.number) if c.number_masked else (display(c.number) if c.number else "")
    return calls


def mark_leads(viewer, leads) -> list:
    """Set ``phone_shown`` and ``phone_masked`` on lead rows (model instances)."""
    leads = list(leads)
    for lead in leads:
        lead.phone_masked = bool(lead.phone) and hides(viewer, lead.owner_id)
        lead.phone_shown = for_display(viewer, lead.phone, lead.owner_id)
    return leads


def mark_phones(viewer, lead, phones) -> list:
    """Set ``shown`` and ``masked`` on a lead's LeadPhone rows."""
    phones = list(phones)
    hidden = hides(viewer, lead.owner_id)
    for p in phones:
        p.masked = hidden
        p.shown = masked(p.e164) if hidden else display(p.e164)
    return phones


def lead_owner_of(call) -> int | None:
    """The owner of a call's lead: annotated as ``lead_owner_id`` on lists (no extra query),
    else read from the loaded lead."""
    if not call.lead_id:
        return None
    if hasattr(call, "lead_owner_id"):
        return call.lead_owner_id
    return call.lead.owner_id


def mask_lead_items(viewer, items: list) -> list:
    """Mask ``phone`` and ``phones`` of API lead items (dicts or LeadOut) the viewer does not own."""
    if not masks_for(viewer):
        return items
    for item in items:
        is_dict = isinstance(item, dict)
        owner_id = item["owner_id"] if is_dict else item.owner_id
        if not hides(viewer, owner_id):
            continue
        phone = item["phone"] if is_dict else item.phone
        phones = [masked(p) for p in (item["phones"] if is_dict else item.phones)]
        if is_dict:
            item["phone"], item["phones"] = (masked(phone) if phone else ""), phones
        else:
            item.phone, item.phones = (masked(phone) if phone else ""), phones
    return items
