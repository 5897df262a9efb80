"""Exotel's side of the telephony interface (integrations/telephony): click-to-call through the
"connect two numbers" API, and its reports read into one shape.

Two kinds of report reach the connector's URL:
- the StatusCallback of a call we placed (POST, form or JSON: CallSid, Status, StartTime,
  ConversationDuration, Direction, From = our agent, To = the lead, CustomField = our marker,
  Legs[]), sent when the call ends;
- the Passthru applet an admin puts after the Connect applet of the ExoPhone's incoming flow
  (GET: CallSid, CallFrom = the caller, CallTo = the ExoPhone, Direction=incoming,
  DialCallStatus, DialWhomNumber = the agent it rang, DialCallDuration, StartTime).
Exotel writes times as "YYYY-MM-DD HH:mm:ss" in India time, and signs neither report.
"""

import datetime as dt
import json
import urllib.parse

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from leadtracker.integrations.telephony import Report, TelephonyError, http

PUBLIC_HOST = "api.exotel.com"
# Exotel's Status / DialCallStatus values that mean nobody talked; "completed" with a
# conversation of 0 seconds (our agent picked up, the lead did not) is not a talk either.
TALKED = "completed"


def base_url(connector) -> str:
    """EXOTEL_API_URL when the operator points it elsewhere (a test's fake, a staging proxy);
    otherwise the connector's region: api.exotel.com (Singapore) or api.in.exotel.com (Mumbai)."""
    configured = (settings.EXOTEL_API_URL or "").rstrip("/")
    subdomain = (connector.setting("subdomain") or "").strip().strip("/")
    if subdomain and (not configured or urllib.parse.urlsplit(configured).hostname == PUBLIC_HOST):
        return f"https://{subdomain.removeprefix('https://')}"
    return configured or f"https://{PUBLIC_HOST}"


def _calls_url(connector) -> str:
    return f"{base_url(connector)}/v1/Accounts/{urllib.parse.quote(connector.setting('sid'))}/Calls"


def place_call(connector, *, agent_number: str, lead_number: str, status_callback: str, marker: str) -> str:
    sid = connector.setting("sid")
    key, token = connector.setting("api_key"), connector.setting("api_token")
    if not (sid and key and token and connector.setting("caller_id")):
        raise TelephonyError(
            _("this Exotel connector is missing its sid, api_key, api_token or caller_id"), field="connector"
        )
    form = {
        "From": agent_number,
        "To": lead_number,
        "CallerId": connector.setting("caller_id"),
        "CallType": "trans",
        "StatusCallback": status_callback,
        "StatusCallbackEvents[0]": "terminal",
        "StatusCallbackContentType": "application/json",
        "CustomField": marker,
        # Never: our promise holds whatever the account's defaults are.
        "Record": "false",
    }
    url = f"{_calls_url(connector)}/connect.json"
    body = http.post_form(url, form, user=key, password=token, who="Exotel", reason=_message)
    try:
        call_sid = json.loads(body)["Call"]["Sid"]
    except (ValueError, KeyError, TypeError):
        raise TelephonyError(
            _("Exotel answered without a call id; the call may not have been placed")
        ) from None
    return str(call_sid)


def external_id(body: dict) -> str:
    """One payload per call and state: Exotel's retries of a callback are one, the 'answered'
    event and the 'terminal' one of the same call are two (the second updates the call)."""
    parts = [
        body.get("CallSid"),
        body.get("EventType") or body.get("Status") or body.get("DialCallStatus") or body.get("CallType"),
        body.get("ConversationDuration") or body.get("DialCallDuration"),
    ]
    return ":".join(str(p or "") for p in parts) if body.get("CallSid") else ""


FINISHED = frozenset({"completed", "failed", "busy", "no-answer", "canceled"})


def fetch_report(connector, call_id: str) -> dict | None:
    """A placed call's details from Exotel's Call details API, in its StatusCallback's shape
    (for when the callback never came); None while the call is not over. Only the fields we
    read are taken: never its RecordingUrl."""
    body = http.get(
        f"{_calls_url(connector)}/{urllib.parse.quote(call_id)}.json?details=true",
        user=connector.setting("api_key"),
        password=connector.setting("api_token"),
        who="Exotel",
        reason=_message,
    )
    try:
        call = json.loads(body)["Call"]
        status = str(call["Status"]).lower()
    except (ValueError, KeyError, TypeError):
        raise TelephonyError(_("Exotel's call details could not be read")) from None
    if status not in FINISHED:
        return None
    details = call.get("Details") if isinstance(call.get("Details"), dict) else {}
    return {
        "CallSid": call_id,
        "EventType": "terminal",
        "Status": status,
        "StartTime": call.get("StartTime"),
        "EndTime": call.get("EndTime"),
        "DateUpdated": call.get("DateUpdated"),
        "ConversationDuration": details.get("ConversationDuration", 0),
        "Direction": call.get("Direction"),
        "From": call.get("From"),
        "To": call.get("To"),
    }


def _message(body: bytes, status: int) -> str:
    try:
        found = json.loads(body)["RestException"]["Message"]
    except (ValueError, KeyError, TypeError):
        found = ""
    words = {401: _("the api_key or api_token is wrong"), 403: _("the account may not make this call")}
    return str(found)[:300] or words.get(status, f"HTTP {status}")


def _time(value) -> dt.datetime | None:
    try:
        # Exotel's times carry no zone: they are India time, +05:30 all year.
        moment = dt.datetime.strptime(f"{value}".strip() + " +0530", "%Y-%m-%d %H:%M:%S %z")
    except ValueError:
        return None
    if moment.year < 2000:  # Passthru's EndTime is a constant 1970-01-01 05:30:00
        return None
    return moment.astimezone(dt.UTC)


def _seconds(value) -> int:
    try:
        return max(0, min(int(float(str(value).strip() or 0)), 24 * 3600))
    except ValueError:
        return 0


def read_report(body: dict) -> Report | None:
    call_id = str(body.get("CallSid") or "").strip()
    if not call_id:
        return None
    started_at = _time(body.get("StartTime")) or _time(body.get("DateUpdated")) or timezone.now()
    direction = str(body.get("Direction") or "").lower()
    if "CallFrom" in body or direction in ("incoming", "inbound"):
        # The Passthru of the ExoPhone's incoming flow (or a status callback of an inbound call).
        # Older flows send only CallType: "completed" when the conversation happened.
        status = str(body.get("DialCallStatus") or body.get("Status") or body.get("CallType") or "").lower()
        seconds = _seconds(body.get("DialCallDuration") or body.get("ConversationDuration"))
        answered = status == TALKED and seconds > 0
        return Report(
            call_id=call_id,
            direction="in",
            answered=answered,
            duration_s=seconds if answered else 0,
            started_at=started_at,
            number=str(body.get("CallFrom") or body.get("From") or ""),
            agent_number=str(body.get("DialWhomNumber") or ""),
        )
    status = str(body.get("Status") or "").lower()
    if not status and not body.get("EventType"):
        return None  # says nothing of how the call went
    if str(body.get("EventType") or "terminal").lower() == "answered":
        status = TALKED  # the 'answered' event: talking now, the terminal one brings the length
    seconds = _seconds(body.get("ConversationDuration"))
    answered = status == TALKED and (seconds > 0 or body.get("EventType") == "answered")
    return Report(
        call_id=call_id,
        direction="out",
        answered=answered,
        duration_s=seconds if answered else 0,
        started_at=started_at,
        number=str(body.get("To") or ""),
        agent_number=str(body.get("From") or ""),
        marker=str(body.get("CustomField") or ""),
    )
