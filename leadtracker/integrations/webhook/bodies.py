"""Reading what a push source sends, and turning the fields read into a lead: shared by the
generic webhook, JustDial's push and IndiaMART's push, which differ only in what the fields
are called.

A body that cannot be read is not refused at the door: these senders do not read our answers,
and a refusal would lose the lead where no one sees it. It is logged as a payload that fails
with the reason (``UNREADABLE``, in English; ``UNREADABLE_SAID`` as what to say, for the payload
log to read in its reader's language), on the health panel, where someone does.
"""

import hmac

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http.request import RawPostDataException
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from leadtracker.integrations.registry import Mapped, MappingError
from leadtracker.leads.actions.leads import LeadData, clean_email
from leadtracker.lib import json_body
from leadtracker.lib.errors import ActionError
from leadtracker.lib.phones import InvalidPhone, normalise
from leadtracker.lib.stored_text import as_words, english, recipe_of, recording, stored, written_in

# The key a payload's body holds the reason under when the request could not be read.
UNREADABLE = "_unreadable"
UNREADABLE_SAID = "_unreadable_said"


def unreadable_body(said: dict) -> dict:
    """The body kept for a request that could not be read: why, in English and as what to say."""
    return {UNREADABLE: english(said), UNREADABLE_SAID: said}


def read(request) -> dict | list:
    """The request's body as JSON or as form fields (a POST's, else the query string's), or
    ``{UNREADABLE: reason}``."""
    try:
        raw = request.body
    except RequestDataTooBig:
        return unreadable_body(stored(gettext_noop("the body is larger than this server accepts")))
    except RawPostDataException:
        raw = b""
    kind = (request.content_type or "").lower()
    if json_body.is_json(kind) or (raw.strip()[:1] in (b"{", b"[") and "form" not in kind):
        try:
            with recording():  # the refusal's words keep their recipe (lib/stored_text.py)
                return json_body.loads(raw)
        except json_body.BodyRefused as exc:
            return unreadable_body(recipe_of(exc.message) or stored("%(words)s", words=exc.message))
    if request.method == "POST" and "form" in kind:
        return {key: request.POST.get(key) for key in request.POST}
    if raw.strip():
        neither = gettext_noop("a body of type %(kind)s is neither JSON nor a form")
        return unreadable_body(stored(neither, kind=kind or "unknown"))
    return {key: request.GET.get(key) for key in request.GET}


def unreadable(body) -> str:
    """The reason a body could not be read, or "": in the active language, carrying what to say
    (a payload failed on it reads in each reader's language); a body kept before, its English."""
    if not isinstance(body, dict):
        return ""
    return as_words(body.get(UNREADABLE_SAID), str(body.get(UNREADABLE, "")))


def mapped(fields: dict, region: str, language: str = settings.LANGUAGE_CODE) -> Mapped:
    """A provider's reading of a lead (fields.py's dict) as the core's Mapped. The first number
    is the lead's own and is kept even when wrong, so the payload fails saying which; a second
    number that is not a phone number, or an e-mail that is not an address, is left in the
    notes instead of failing the lead, said in ``language`` (the organisation's: the notes are
    the lead's own text, edited later as words)."""
    phones = list(fields.get("phones") or [])
    if not phones:
        raise MappingError(_("no phone number in the lead"))
    kept, odd = phones[:1], []
    for other in phones[1:]:
        try:
            normalise(other, region)
        except InvalidPhone:
            odd.append((gettext_noop("Another number given: %(given)s"), other))
            continue
        kept.append(other)
    email = fields.get("email", "")
    try:
        clean_email(email)
    except ActionError:
        odd.append((gettext_noop("E-mail given (not a valid address): %(given)s"), email))
        email = ""
    notes = fields.get("notes", "")
    with written_in(language):
        notes += "".join("\n" + _(msgid) % {"given": given} for msgid, given in odd)
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
