"""What the providers' ``handle`` and ``process`` share: a report's body read from the request
(form, query or JSON) and a processed payload handed to record_report."""

import json

from django.utils.translation import gettext as _

from leadtracker.integrations.registry import MappingError
from leadtracker.integrations.telephony import actions

# A callback is a few hundred bytes; anything this big is not one.
MAX_BODY = 256 * 1024


def body_of(request) -> dict | None:
    """The report's fields: a JSON object, a form, or (Exotel's Passthru, a GET) the query. A
    field sent more than once keeps all its values, as a list. None when it is none of these."""
    if request.method == "GET":
        data = request.GET
    elif (request.content_type or "").endswith("json"):
        if len(request.body) > MAX_BODY:
            return None
        try:
            found = json.loads(request.body or b"{}")
        except ValueError:
            return None
        return found if isinstance(found, dict) else None
    else:
        data = request.POST
    return {key: values[0] if len(values) == 1 else values for key, values in data.lists()}


def process(payload, line):
    """The provider's ``process``: its report stored as one call. None when the report is not
    about a call's end (nothing to store)."""
    body = payload.body if isinstance(payload.body, dict) else {}
    if not body.get("CallSid"):
        raise MappingError(_("the report has no CallSid: it names no call"))
    report = line.read_report(body)
    if report is None:
        return None
    return actions.record_report(payload.connector, report)
