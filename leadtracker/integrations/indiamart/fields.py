"""One IndiaMART enquiry (a record of the pull API's RESPONSE list, or a push's RESPONSE) as
the fields of a lead.

The same record shape comes both ways, so pull and push share this one reading.
"""

import re

from django.utils.translation import gettext as _

from leadtracker.integrations.indiamart.window import parse_query_time

# QUERY_TYPE in words, for the lead's notes: a telecaller calls a bought BuyLead differently
# from someone who rang the seller's own number.
QUERY_TYPES = {
    "W": "direct enquiry on your IndiaMART catalogue",
    "B": "BuyLead you bought on IndiaMART",
    "P": "phone call to your IndiaMART number (PNS)",
    "BIZ": "enquiry through your website hosted by IndiaMART",
    "WA": "WhatsApp enquiry through IndiaMART",
}
# QUERY_MESSAGE arrives as HTML-ish text: <br> between the buyer's answers.
_BREAK = re.compile(r"<br\s*/?>", re.IGNORECASE)
_TAG = re.compile(r"<[^>]{0,200}>")


class NotALead(ValueError):
    """The record cannot become a lead; the message says why, for the payload log (gettext's
    words: read inside recording(), their recipe shows them in each reader's language)."""


def _text(record: dict, key: str, limit: int = 2000) -> str:
    value = record.get(key)
    if value is None:
        return ""
    if not isinstance(value, str | int | float):
        raise NotALead(_("%(key)s must be text") % {"key": key})
    return str(value).strip()[:limit]


def query_type_words(code: str) -> str:
    code = (code or "").strip().upper()
    return QUERY_TYPES.get(code, f"enquiry of type {code}" if code else "enquiry")


def unique_id(record) -> str:
    """UNIQUE_QUERY_ID, the key IndiaMART gives each enquiry (and we de-duplicate on)."""
    if not isinstance(record, dict):
        raise NotALead(_("the enquiry is not a JSON object"))
    found = _text(record, "UNIQUE_QUERY_ID", 100)
    if not found:
        raise NotALead(_("UNIQUE_QUERY_ID is missing"))
    return found


def lead_fields(record) -> dict:
    """name, phones, email, company, city, notes, attribution, occurred_at, external_id: what
    the lead is made of. Raises NotALead saying what is wrong; a record with no number is
    refused here: a telecaller has no number to call."""
    external_id = unique_id(record)
    phones = [p for p in (_text(record, "SENDER_MOBILE", 64), _text(record, "SENDER_MOBILE_ALT", 64)) if p]
    phones += [p for p in (_text(record, "SENDER_PHONE", 64), _text(record, "SENDER_PHONE_ALT", 64)) if p]
    email = _text(record, "SENDER_EMAIL", 254)
    if not phones:
        raise NotALead(_("SENDER_MOBILE is missing: no number to call"))
    product = _text(record, "QUERY_PRODUCT_NAME", 200) or _text(record, "QUERY_MCAT_NAME", 200)
    message = _TAG.sub("", _BREAK.sub("\n", _text(record, "QUERY_MESSAGE", 5000))).strip()
    kind = query_type_words(_text(record, "QUERY_TYPE", 10))
    place = ", ".join(
        p
        for p in (
            _text(record, "SENDER_CITY"),
            _text(record, "SENDER_STATE"),
            _text(record, "SENDER_PINCODE"),
        )
        if p
    )
    lines = [f"IndiaMART {kind}" + (f" about {product}" if product else "") + "."]
    if place:
        lines.append(f"From {place}.")
    alt_email = _text(record, "SENDER_EMAIL_ALT", 254)
    if alt_email and alt_email != email:
        lines.append(f"Other e-mail: {alt_email}")
    if message:
        lines.append(message)
    return {
        "external_id": external_id,
        "name": _text(record, "SENDER_NAME", 200),
        "phones": phones,
        "email": email,
        "company": _text(record, "SENDER_COMPANY", 200),
        "city": _text(record, "SENDER_CITY", 100),
        "notes": "\n".join(lines),
        "attribution": f"IndiaMART: {product}" if product else "IndiaMART",
        "occurred_at": parse_query_time(_text(record, "QUERY_TIME", 40)),
    }
