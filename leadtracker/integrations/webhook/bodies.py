"""Reading what a push source sends, and turning the fields read into a lead: shared by the
generic webhook, JustDial's push and IndiaMART's push, which differ only in what the fields
are called.

A body that cannot be read is not refused at the door: these senders do not read our answers,
and a refusal would lose the lead where no one sees it. It is logged as a payload that fails
with the reason (``UNREADABLE``), on the health panel, where someone does.
"""

import hmac

from django.core.exceptions import RequestDataTooBig
from django.http.request import RawPostDataException
from django.utils.translation import gettext as _

from leadtracker.integrations.registry import Mapped, MappingError
from leadtracker.leads.actions.leads import LeadData, clean_email
from leadtracker.lib import json_body
from leadtracker.lib.errors import ActionError
from leadtracker.lib.phones import InvalidPhone, normalise

# The key a payload's body holds the reason under when the request could not be read.
UNREADABLE = "_unreadable"


def read(request) -> dict | list:
    """The request's body as JSON or as form fields (a POST's, else the query string's), or
    ``{UNREADABLE: reason}``."""
    try:
        raw = request.body
    except RequestDataTooBig:
        return {UNREADABLE: "the body is larger than this server accepts"}
    except RawPostDataException:
        raw = b""
    kind = (request.content_type or "").lower()
    if json_body.is_json(kind) or (raw.strip()[:1] in (b"{", b"[") and "form" not in kind):
        try:
            return json_body.loads(raw)
        except json_body.BodyRefused as exc:
            return {UNREADABLE: exc.message}
    if request.method == "POST" and "form" in kind:
        return {key: request.POST.get(key) for key in request.POST}
    if raw.strip():
        return {UNREADABLE: f"a body of type {kind or 'unknown'} is neither JSON nor a form"}
    return {key: request.GET.get(key) for key in request.GET}


def unreadable(body) -> str:
    """The reason a body could not be read, or ""."""
    return str(body.get(UNREADABLE, "")) if isinstance(body, dict) else ""


def mapped(fields: dict, region: str) -> Mapped:
    """A provider's reading of a lead (fields.py's dict) as the core's Mapped. The first number
    is the lead's own and is kept even when wrong, so the payload fails saying which; a second
    number that is not a phone number, or an e-mail that is not an address, is left in the
    notes instead of failing the lead."""
    phones = list(fields.get("phones") or [])
    if not phones:
        raise MappingError(_("no phone number in the lead"))
    kept, notes = phones[:1], fields.get("notes", "")
    for other in phones[1:]:
        try:
            normalise(other, region)
        except InvalidPhone:
            notes += f"\nAnother number given: {other}"
            continue
        kept.append(other)
    email = fields.get("email", "")
    try:
        clean_email(email)
    except ActionError:
        notes += f"\nE-mail given (not a valid address): {email}"
        email = ""
    data = LeadData(
        name=fields.get("name", ""),
        phones=kept,
        email=email,
        company=fields.get("company", ""),
        city=fields.get("city", ""),
    )
    if fields.get("occurred_at"):
        data.extra = {"enquired_at": fields["occurred_at"].isoformat()}
    return Mapped(data=data, attribution=fields.get("attribution", ""), notes=notes.strip())


SECRET_HEADER = "X-LeadTracker-Secret"


def secret_given(request) -> str:
    """The shared secret as the sender gave it: the X-LeadTracker-Secret header, or ``secret``
    in the URL's query for senders that can set no header (JustDial, most form tools)."""
    return request.headers.get(SECRET_HEADER) or request.GET.get("secret") or ""


def secret_matches(request, expected: str) -> bool:
    given = secret_given(request)
    # Constant time: a byte-by-byte comparison would tell an attacker how much they got right.
    return bool(expected) and hmac.compare_digest(given.encode(), expected.encode())
