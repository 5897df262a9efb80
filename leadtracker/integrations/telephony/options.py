"""The checks of a telephony connector's options, made when they are saved (page, API, command
line), so a caller id that is not a number or an API host that is not one is refused there,
naming the field, rather than failing (or crashing) an agent's "Call via …" later."""

import re

from django.utils.translation import gettext as _

from leadtracker.lib.errors import ActionError
from leadtracker.lib.phones import InvalidPhone, normalise

# An ExoPhone is written the Indian way ("080 4709 1234"); a Twilio number in E.164 ("+1415…"),
# whose country code overrides this.
REGION = "IN"
_LABEL = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?")


def caller_id(plain: dict, *, label: str) -> dict:
    """The caller id as typed (the provider wants it the way its console shows it), once it is
    known to be a phone number. Absent (an edit that keeps it): nothing to check."""
    value = plain.get("caller_id")
    if value in (None, ""):
        return plain
    try:
        normalise(str(value), REGION)
    except InvalidPhone:
        raise ActionError(
            _("not a phone number: the %(name)s number calls are made from, e.g. 080 4709 1234")
            % {"name": label},
            field="caller_id",
        ) from None
    return plain


def api_host(plain: dict, *, name: str, domain: str, example: str) -> dict:
    """``plain[name]`` as a bare host name under ``domain`` ("https://api.in.exotel.com/" is
    taken as api.in.exotel.com). Only the provider's own hosts: the connector's API key goes
    to it, and the server must not be pointed at an address of the operator's network."""
    value = plain.get(name)
    if value in (None, ""):
        return plain
    host = str(value).strip().lower().removeprefix("https://").rstrip("/")
    labels = host.split(".")
    if not (all(_LABEL.fullmatch(part) for part in labels) and host.endswith(f".{domain}")):
        raise ActionError(
            _("not an API host of %(domain)s: %(example)s") % {"domain": domain, "example": example},
            field=name,
        )
    return {**plain, name: host}
