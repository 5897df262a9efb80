"""One JustDial lead push as the fields of a lead.

JustDial posts each enquiry with these keys (form-encoded, as a query string, or JSON): leadid,
leadtype, prefix, name, mobile, phone, email, date, time, category, city, area, brancharea,
dncmobile, dncphone, company, pincode, branchpin, parentid. ``date`` and ``time`` are India's.
"""

import datetime as dt
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils.translation import gettext as _

from leadtracker.lib.stored_text import written_in

IST = ZoneInfo("Asia/Kolkata")


class NotALead(ValueError):
    """The push cannot become a lead; the message says why, for the payload log (gettext's words:
    read inside recording(), their recipe shows them in each reader's language)."""


def _text(body: dict, key: str, limit: int = 2000) -> str:
    value = body.get(key)
    if value is None:
        return ""
    if isinstance(value, list):  # a key repeated in a form body: the first counts
        value = value[0] if value else ""
    if not isinstance(value, str | int | float):
        raise NotALead(_("%(key)s must be text") % {"key": key})
    return str(value).strip()[:limit]


def lead_id(body) -> str:
    if not isinstance(body, dict):
        raise NotALead(_("the push is not a set of fields"))
    found = _text(body, "leadid", 100)
    if not found:
        raise NotALead(_("leadid is missing"))
    return found


def _when(body: dict) -> dt.datetime | None:
    try:
        day = dt.date.fromisoformat(_text(body, "date", 20))
    except ValueError:
        return None
    try:
        clock = dt.time.fromisoformat(_text(body, "time", 20) or "00:00:00")
    except ValueError:
        clock = dt.time(0, 0)
    return dt.datetime.combine(day, clock, tzinfo=IST)


def _notes(found: dict, language: str) -> str:
    """The lead's first note, in the organisation's language: it is the lead's own text, which
    a person may edit, so it is written as words (lib/stored_text.written_in), not a recipe.
    ``found``: the values, read (and checked) before, so nothing here raises."""
    with written_in(language):
        if found["category"] and found["area"]:
            lines = [_("JustDial enquiry for %(category)s from %(area)s.") % found]
        elif found["category"]:
            lines = [_("JustDial enquiry for %(category)s.") % found]
        elif found["area"]:
            lines = [_("JustDial enquiry from %(area)s.") % found]
        else:
            lines = [_("JustDial enquiry.")]
        if found["leadtype"]:
            lines.append(_("Lead type: %(leadtype)s.") % found)
        if found["branch"]:
            lines.append(_("For your branch at %(branch)s.") % found)
        if found["dnd"]:
            # The national do-not-disturb registry is about promotions: this person asked to be
            # called, so the lead stays callable; the note warns the caller not to pitch beyond it.
            lines.append(_("The number is on the DND registry: call about this enquiry only."))
        return "\n".join(str(line) for line in lines)


def lead_fields(body, language: str = settings.LANGUAGE_CODE) -> dict:
    """The lead's fields; its notes in ``language`` (the organisation's). Raises NotALead."""
    external_id = lead_id(body)
    phones = [p for p in (_text(body, "mobile", 64), _text(body, "phone", 64)) if p]
    email = _text(body, "email", 254)
    if not phones:
        raise NotALead(_("mobile is missing: no number to call"))
    category = _text(body, "category", 200)
    area = ", ".join(p for p in (_text(body, "area"), _text(body, "city"), _text(body, "pincode")) if p)
    found = {
        "category": category,
        "area": area,
        "leadtype": _text(body, "leadtype"),
        "branch": _text(body, "brancharea"),
        "dnd": _text(body, "dncmobile") == "1" or _text(body, "dncphone") == "1",
    }
    name = " ".join(p for p in (_text(body, "prefix", 20), _text(body, "name", 200)) if p)
    return {
        "external_id": external_id,
        "name": name[:200],
        "phones": phones,
        "email": email,
        "company": _text(body, "company", 200),
        "city": _text(body, "city", 100),
        "notes": _notes(found, language),
        "attribution": f"JustDial: {category}" if category else "JustDial",
        "occurred_at": _when(body),
    }
