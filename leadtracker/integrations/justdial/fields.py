"""One JustDial lead push as the fields of a lead.

JustDial posts each enquiry with these keys (form-encoded, as a query string, or JSON): leadid,
leadtype, prefix, name, mobile, phone, email, date, time, category, city, area, brancharea,
dncmobile, dncphone, company, pincode, branchpin, parentid. ``date`` and ``time`` are India's.
"""

import datetime as dt
from zoneinfo import ZoneInfo

from django.utils.translation import gettext as _

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


def lead_fields(body) -> dict:
    external_id = lead_id(body)
    phones = [p for p in (_text(body, "mobile", 64), _text(body, "phone", 64)) if p]
    email = _text(body, "email", 254)
    if not phones:
        raise NotALead(_("mobile is missing: no number to call"))
    category = _text(body, "category", 200)
    area = ", ".join(p for p in (_text(body, "area"), _text(body, "city"), _text(body, "pincode")) if p)
    lines = [
        "JustDial enquiry"
        + (f" for {category}" if category else "")
        + (f" from {area}" if area else "")
        + "."
    ]
    if _text(body, "leadtype"):
        lines.append(f"Lead type: {_text(body, 'leadtype')}.")
    if _text(body, "brancharea"):
        lines.append(f"For your branch at {_text(body, 'brancharea')}.")
    if _text(body, "dncmobile") == "1" or _text(body, "dncphone") == "1":
        # The national do-not-disturb registry is about promotions: this person asked to be
        # called, so the lead stays callable; the note warns the caller not to pitch beyond it.
        lines.append("The number is on the DND registry: call about this enquiry only.")
    name = " ".join(p for p in (_text(body, "prefix", 20), _text(body, "name", 200)) if p)
    return {
        "external_id": external_id,
        "name": name[:200],
        "phones": phones,
        "email": email,
        "company": _text(body, "company", 200),
        "city": _text(body, "city", 100),
        "notes": "\n".join(lines),
        "attribution": f"JustDial: {category}" if category else "JustDial",
        "occurred_at": _when(body),
    }
