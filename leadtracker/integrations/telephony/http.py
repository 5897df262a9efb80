"""The HTTP calls a line makes: a form POST (placing a call) or a GET (a call's details) with
basic auth to the provider's API (or the local fake a test or staging points EXOTEL_API_URL /
TWILIO_API_URL at)."""

import base64
import http.client
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from leadtracker.integrations.telephony import TelephonyError

MAX_ANSWER = 1_000_000
AGENT = "LeadTracker/1"


def post_form(url: str, form: dict, *, user: str, password: str, who: str, reason: Callable) -> bytes:
    """The answer's body. TelephonyError in plain words when ``who`` refuses (``reason(body,
    status)`` reads the provider's own message) or cannot be reached."""
    data = urllib.parse.urlencode(form).encode()
    refused = gettext_noop("%(who)s refused the call: %(reason)s")
    return _ask(url, data, user=user, password=password, who=who, reason=reason, refused=refused)


def get(url: str, *, user: str, password: str, who: str, reason: Callable) -> bytes:
    refused = gettext_noop("%(who)s refused: %(reason)s")
    return _ask(url, None, user=user, password=password, who=who, reason=reason, refused=refused)


# The errors are gettext's words with %(who)s, not f-strings: the person placing a call reads
# them in their language, and the worker (inside recording()) keeps their recipe for the panel.
def _ask(url: str, data, *, user: str, password: str, who: str, reason: Callable, refused: str) -> bytes:
    if urllib.parse.urlsplit(url).scheme not in ("http", "https"):
        raise TelephonyError(_("%(who)s: the address must be http(s)") % {"who": who})
    auth = base64.b64encode(f"{user}:{password}".encode()).decode()
    request = urllib.request.Request(  # noqa: S310 — the operator's setting or the provider's host
        url,
        data=data,
        headers={"Authorization": f"Basic {auth}", "Accept": "application/json", "User-Agent": AGENT},
        method="POST" if data is not None else "GET",
    )
    try:
        # Only http(s) is ever opened (checked above), so bandit's file:/custom-scheme warning
        # does not apply.
        with urllib.request.urlopen(request, timeout=settings.INTEGRATION_HTTP_TIMEOUT) as response:  # noqa: S310  # nosec B310
            return response.read(MAX_ANSWER)
    except urllib.error.HTTPError as exc:
        said = reason(exc.read(100_000), exc.code)
        raise TelephonyError(_(refused) % {"who": who, "reason": said}) from None
    except (urllib.error.URLError, http.client.HTTPException, OSError, ValueError):
        # Any way of not getting an answer: DNS, TLS, refused or dropped connections and
        # timeouts (OSError), a host that is no URL (InvalidURL, a bad IDNA label's
        # UnicodeError): the agent reads the same words, never a 500.
        raise TelephonyError(
            _("%(who)s could not be reached; try again in a minute") % {"who": who}
        ) from None
