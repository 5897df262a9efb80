"""One call to IndiaMART's CRM pull API (v2), read by the CODE in its body.

IndiaMART's HTTP status does not say how the call went; the body's CODE does: 200 leads in
RESPONSE, 204 none in the window, 400 a bad request (a window too wide), 401 a key it refuses,
429 the key called too soon and is blocked for a while, 500 its own trouble.
"""

import json
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field

from django.conf import settings
from django.utils.translation import gettext_noop

from leadtracker.integrations.indiamart.window import api_time
from leadtracker.lib.stored_text import english, stored

PATH = "/wservce/crm/crmListing/v2/"
# IndiaMART's answer is a few hundred bytes a lead; 20 MB is far more than 7 days of any
# seller's leads, and a cap keeps a wrong URL from filling the worker's memory.
MAX_BODY = 20 * 1024 * 1024


@dataclass
class Answer:
    code: int  # the body's CODE; 0 when IndiaMART could not be reached or read
    message: str = ""  # IndiaMART's MESSAGE, its own words; or our reason, in English
    records: list = field(default_factory=list)
    said: dict = field(default_factory=dict)  # our reason as what to say (lib/stored_text.py)


def _failed(msgid: str, **values) -> Answer:
    """IndiaMART not reached or not read: the reason kept in English for the record, and as
    what to say, for the health panel to read in its reader's language."""
    said = stored(msgid, **values)
    return Answer(0, english(said), said=said)


def listing_url(key: str, start, end) -> str:
    query = urllib.parse.urlencode(
        {"glusr_crm_key": key, "start_time": api_time(start), "end_time": api_time(end)}
    )
    return f"{settings.INDIAMART_API_URL.rstrip('/')}{PATH}?{query}"


def _read(body: bytes) -> Answer:
    try:
        data = json.loads(body)
    except ValueError:
        return _failed(gettext_noop("IndiaMART answered with something that is not JSON"))
    if not isinstance(data, dict):
        return _failed(gettext_noop("IndiaMART answered with something other than a JSON object"))
    try:
        code = int(data.get("CODE"))
    except (TypeError, ValueError):
        return _failed(gettext_noop("IndiaMART's answer has no CODE"))
    records = data.get("RESPONSE")
    message = str(data.get("MESSAGE") or "")[:500]
    return Answer(code, message, records if isinstance(records, list) else [])


def fetch(key: str, start, end) -> Answer:
    """Ask for the enquiries between start and end. Never raises for a network or a provider
    failure: the Answer's code 0 and message say what went wrong."""
    url = listing_url(key, start, end)
    if urllib.parse.urlsplit(url).scheme not in ("http", "https"):
        return _failed(gettext_noop("INDIAMART_API_URL must be an http(s) address"))
    request = urllib.request.Request(  # noqa: S310 — INDIAMART_API_URL is the operator's setting
        url, headers={"Accept": "application/json", "User-Agent": "LeadTracker/1"}
    )
    try:
        # Only http(s) is ever opened (checked above), so bandit's file:/custom-scheme warning
        # does not apply.
        with urllib.request.urlopen(request, timeout=settings.INTEGRATION_HTTP_TIMEOUT) as response:  # noqa: S310  # nosec B310
            return _read(response.read(MAX_BODY + 1)[:MAX_BODY])
    except urllib.error.HTTPError as exc:
        # The body may still carry a CODE (IndiaMART answers some errors with an HTTP error).
        answer = _read(exc.read(MAX_BODY))
        if answer.code:
            return answer
        return _failed(gettext_noop("IndiaMART answered HTTP %(code)s"), code=exc.code)
    except TimeoutError:
        return _failed(gettext_noop("IndiaMART did not answer in time"))
    except (urllib.error.URLError, OSError, ValueError):
        return _failed(gettext_noop("could not reach IndiaMART"))
