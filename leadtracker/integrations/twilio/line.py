"""Twilio's side of the telephony interface (integrations/telephony).

Click-to-call: one call to the agent's phone from the company's Twilio number, whose TwiML
dials the lead with the same number as caller id; the lead's leg reports its status to the
connector's URL (``<Number statusCallback=…>``), so the call we store is the conversation with
the lead: its CallSid, CallStatus and CallDuration. Our marker rides in that URL's query, which
Twilio's signature covers. Incoming calls: the Twilio number's "call status changes" webhook
points at the same URL (Direction=inbound; a CallStatus other than completed, or 0 seconds, is a
missed call).

Every request is signed: X-Twilio-Signature = base64(HMAC-SHA1(auth token, the full URL Twilio
requested + each POST parameter's name and value, sorted by name)).
"""

import base64
import datetime as dt
import email.utils
import hashlib
import hmac
import json
import urllib.parse
from xml.sax.saxutils import quoteattr

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from leadtracker.integrations.models import Payload
from leadtracker.integrations.telephony import NO_CALL, Report, TelephonyError, http

API_VERSION = "2010-04-01"
# Where a report carries our marker: the callback URL's query, which handle copies into the body.
MARKER_FIELD = "marker"
# A Call resource's statuses once it is over (Twilio's API reference, Call resource).
FINISHED = frozenset({"completed", "busy", "failed", "no-answer", "canceled"})


def signature(auth_token: str, url: str, params) -> str:
    """``params``: the POST parameters, as a QueryDict or a dict of strings or lists."""
    text = url
    for name in sorted(params):
        values = params.getlist(name) if hasattr(params, "getlist") else params[name]
        for value in sorted(values if isinstance(values, list) else [values]):
            text += name + value
    digest = hmac.new(auth_token.encode(), text.encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


def signed(auth_token: str, url: str, params, given: str) -> bool:
    if not auth_token or not given:
        return False
    return hmac.compare_digest(signature(auth_token, url, params), given)


def _twiml(caller_id: str, lead_number: str, status_callback: str) -> str:
    return (
        "<Response>"
        f'<Dial callerId={quoteattr(caller_id)} record="do-not-record">'
        f'<Number statusCallbackEvent="completed" statusCallbackMethod="POST" '
        f"statusCallback={quoteattr(status_callback)}>{_text(lead_number)}</Number>"
        "</Dial></Response>"
    )


def _text(value: str) -> str:
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def place_call(connector, *, agent_number: str, lead_number: str, status_callback: str, marker: str) -> str:
    sid, token = connector.setting("account_sid"), connector.setting("auth_token")
    caller_id = connector.setting("caller_id")
    if not (sid and token and caller_id):
        raise TelephonyError(
            _("this Twilio connector is missing its account_sid, auth_token or caller_id"), field="connector"
        )
    glue = "&" if "?" in status_callback else "?"
    callback = f"{status_callback}{glue}{urllib.parse.urlencode({'marker': marker})}"
    form = {"To": agent_number, "From": caller_id, "Twiml": _twiml(caller_id, lead_number, callback)}
    url = f"{_calls_url(sid)}.json"
    body = http.post_form(url, form, user=sid, password=token, who="Twilio", reason=_message)
    try:
        return str(json.loads(body)["sid"])
    except (ValueError, KeyError, TypeError):
        raise TelephonyError(
            _("Twilio answered without a call id; the call may not have been placed")
        ) from None


def _calls_url(sid: str) -> str:
    base = (settings.TWILIO_API_URL or "https://api.twilio.com").rstrip("/")
    return f"{base}/{API_VERSION}/Accounts/{urllib.parse.quote(sid)}/Calls"


def external_id(body: dict) -> str:
    """One payload per call and state, whether the callback brought it or fetch_report did."""
    sid = body.get("CallSid")
    return f"{sid}:{body.get('CallStatus')}:{body.get('DialCallStatus')}" if sid else ""


def reported(connector, call_ids: set[str]) -> set[str]:
    """The placed calls (the agent's leg) whose lead leg's callback was logged: the call stored
    carries the lead leg's CallSid, the one placed is its ParentCallSid."""
    found = Payload.objects.filter(connector=connector, body__ParentCallSid__in=sorted(call_ids))
    return {str(v) for v in found.values_list("body__ParentCallSid", flat=True)}


def _ask(connector, path: str) -> dict:
    sid = connector.setting("account_sid")
    body = http.get(
        f"{_calls_url(sid)}{path}",
        user=sid,
        password=connector.setting("auth_token"),
        who="Twilio",
        reason=_message,
    )
    try:
        found = json.loads(body)
    except ValueError:
        found = None
    if not isinstance(found, dict):
        raise TelephonyError(_("Twilio's answer about a call could not be read"))
    return found


def fetch_report(connector, call_id: str):
    """A placed call's end from Twilio's Calls API, when the lead leg's status callback never
    came: the call placed (the agent's leg), then its child, the lead's leg, in the callback's
    shape. None while either is not over; NO_CALL when the agent's leg ended with no child (the
    agent did not pick up, so the lead was never dialled: no call, as with callbacks). Only the
    fields we read are taken: never a recording's."""
    parent = _ask(connector, f"/{urllib.parse.quote(call_id)}.json")
    if str(parent.get("status") or "").lower() not in FINISHED:
        return None
    children = _ask(connector, f".json?{urllib.parse.urlencode({'ParentCallSid': call_id})}").get("calls")
    legs = [c for c in children or [] if isinstance(c, dict) and c.get("sid")]
    if not legs:
        return NO_CALL
    leg = legs[0]  # our TwiML dials one <Number>: one child
    status = str(leg.get("status") or "").lower()
    if status not in FINISHED:
        return None
    return {
        "CallSid": str(leg["sid"]),
        "ParentCallSid": call_id,
        "CallStatus": status,
        "CallDuration": str(leg.get("duration") or 0),
        "Direction": str(leg.get("direction") or "outbound-dial"),
        "From": str(leg.get("from") or ""),
        "To": str(leg.get("to") or ""),
        "ParentTo": str(parent.get("to") or ""),
        "Timestamp": str(leg.get("end_time") or ""),
    }


def _message(body: bytes, status: int) -> str:
    try:
        found = json.loads(body)["message"]
    except (ValueError, KeyError, TypeError):
        found = ""
    words = {401: _("the account_sid or auth_token is wrong")}
    return str(found)[:300] or words.get(status, f"HTTP {status}")


def _time(value) -> dt.datetime | None:
    try:
        moment = email.utils.parsedate_to_datetime(str(value))
    except (TypeError, ValueError):
        return None
    return moment.astimezone(dt.UTC) if moment.tzinfo else None


def _seconds(value) -> int:
    try:
        return max(0, min(int(value or 0), 24 * 3600))
    except (TypeError, ValueError):
        return 0


def read_report(body: dict) -> Report | None:
    call_id = str(body.get("CallSid") or "").strip()
    inbound = str(body.get("Direction") or "").lower() == "inbound"
    if inbound:
        # An incoming call's own status says Twilio's number took it, not that a person did:
        # only the <Dial action> report (DialCallStatus) says whether the agent rung answered.
        if "DialCallStatus" not in body:
            return None
        status, seconds = str(body["DialCallStatus"]).lower(), _seconds(body.get("DialCallDuration"))
    else:
        status, seconds = str(body.get("CallStatus") or "").lower(), _seconds(body.get("CallDuration"))
    if not call_id or status in ("", "queued", "initiated", "ringing", "in-progress"):
        # Not over yet (the completed event follows), or no call status at all (what is left of
        # a recording's callback once its recording fields are dropped).
        return None
    answered = status == "completed" and seconds > 0
    ended = _time(body.get("Timestamp")) or timezone.now()
    return Report(
        call_id=call_id,
        direction="in" if inbound else "out",
        answered=answered,
        duration_s=seconds if answered else 0,
        started_at=ended - dt.timedelta(seconds=seconds),
        number=str((body.get("From") if inbound else body.get("To")) or ""),
        agent_number="" if inbound else str(body.get("ParentTo") or ""),
        marker=str(body.get("marker") or ""),
    )
