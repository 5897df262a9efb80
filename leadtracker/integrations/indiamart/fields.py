"""One IndiaMART enquiry (a record of the pull API's RESPONSE list, or a push's RESPONSE) as
the fields of a lead.

The same record shape comes both ways, so pull and push share this one reading.
"""

import re

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from leadtracker.integrations.indiamart.window import parse_query_time
from leadtracker.lib.stored_text import written_in

# QUERY_TYPE in words, for the lead's notes: a telecaller calls a bought BuyLead differently
# from someone who rang the seller's own number. Marked here, said in the organisation's language.
QUERY_TYPES = {
    "W": gettext_noop("direct enquiry on your IndiaMART catalogue"),
    "B": gettext_noop("BuyLead you bought on IndiaMART"),
    "P": gettext_noop("phone call to your IndiaMART number (PNS)"),
    "BIZ": gettext_noop("enquiry through your website hosted by IndiaMART"),
    "WA": gettext_noop("WhatsApp enquiry through IndiaMART"),
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
    """The kind of enquiry in words, in the active language."""
    code = (code or "").strip().upper()
    if code in QUERY_TYPES:
        return _(QUERY_TYPES[code])
    return _("enquiry of type %(code)s") % {"code": code} if code else _("enquiry")


def unique_id(record) -> str:
    """UNIQUE_QUERY_ID, the key IndiaMART gives each enquiry (and we de-duplicate on)."""
    if not isinstance(record, dict):
        raise NotALead(_("the enquiry is not a JSON object"))
    found = _text(record, "UNIQUE_QUERY_ID", 100)
    if not found:
        raise NotALead(_("UNIQUE_QUERY_ID is missing"))
    return found


def _notes(found: dict, language: str) -> str:
    """The lead's first note, in the organisation's language: the lead's own text, which a person
    may edit, so written as words (lib/stored_text.written_in), not a recipe. ``found``: the
    values, read (and checked) before, so nothing here raises. The buyer's message as sent."""
    with written_in(language):
        kind = query_type_words(found["kind_code"])
        if found["product"]:
            lines = [_("IndiaMART %(kind)s about %(product)s.") % {"kind": kind, "product": found["product"]}]
        else:
            lines = [_("IndiaMART %(kind)s.") % {"kind": kind}]
        if found["place"]:
            lines.append(_("From %(place)s.") % {"place": found["place"]})
        if found["email"]:
            lines.append(_("Other e-mail: %(email)s") % {"email": found["email"]})
    if found["message"]:
        lines.append(found["message"])
    return "\n".join(str(line) for line in lines)


def lead_fields(record, language: str = settings.LANGUAGE_CODE) -> dict:
    """name, phones, email, company, city, notes, attribution, occurred_at, external_id: what
    the lead is made of, its notes in ``language`` (the organisation's). Raises NotALead saying
    what is wrong; a record with no number is refused here: a telecaller has no number to call."""
    external_id = unique_id(record)
    phones = [p for p in (_text(record, "SENDER_MOBILE", 64), _text(record, "SENDER_MOBILE_ALT", 64)) if p]
    phones += [p for p in (_text(record, "SENDER_PHONE", 64), _text(record, "SENDER_PHONE_ALT", 64)) if p]
    email = _text(record, "SENDER_EMAIL", 254)
    if not phones:
        raise NotALead(_("SENDER_MOBILE is missing: no number to call"))
    product = _text(record, "QUERY_PRODUCT_NAME", 200) or _text(record, "QUERY_MCAT_NAME", 200)
    message = _TAG.sub("", _BREAK.sub("\n", _text(record, "QUERY_MESSAGE", 5000))).strip()
    place = ", ".join(
        p
        for p in (
            _text(record, "SENDER_CITY"),
            _text(record, "SENDER_STATE"),
            _text(record, "SENDER_PINCODE"),
        )
        if p
    )
    alt_email = _text(record, "SENDER_EMAIL_ALT", 254)
    found = {
        "kind_code": _text(record, "QUERY_TYPE", 10),
        "product": product,
        "place": place,
        "email": alt_email if alt_email != email else "",
        "message": message,
    }
    return {
        "external_id": external_id,
        "name": _text(record, "SENDER_NAME", 200),
        "phones": phones,
        "email": email,
        "company": _text(record, "SENDER_COMPANY", 200),
        "city": _text(record, "SENDER_CITY", 100),
        "notes": _notes(found, language),
        "attribution": f"IndiaMART: {product}" if product else "IndiaMART",
        "occurred_at": parse_query_time(_text(record, "QUERY_TIME", 40)),
    }
