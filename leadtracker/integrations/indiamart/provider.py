"""IndiaMART as a connector: the push listener, the pull (pull.py) and the reading of an
enquiry as a lead (fields.py). Both ways store the same enquiry under its UNIQUE_QUERY_ID, so a
lead that arrives by push and again by pull is one payload and one lead."""

from django.conf import settings
from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from leadtracker.integrations.actions import receive_payload
from leadtracker.integrations.indiamart import fields, pull
from leadtracker.integrations.registry import MappingError, Option, Provider
from leadtracker.integrations.webhook import bodies


def enquiry_of(body):
    """The enquiry in a stored body: a push wraps it as {"CODE", "STATUS", "RESPONSE": {…}},
    a pulled one is stored as it is."""
    if isinstance(body, dict) and ("RESPONSE" in body or "CODE" in body):
        return body.get("RESPONSE")
    return body


def handle(request, connector):
    """IndiaMART's push. Answered 200 whatever came: IndiaMART retries what is not, and a body
    it cannot send right will not come right by being sent again. What cannot become a lead is
    logged as failed, with the reason, for the health panel and a replay."""
    body = bodies.read(request)
    if request.method != "POST" and not body:
        return JsonResponse({"CODE": 200, "STATUS": "SUCCESS"})  # a check that the URL answers
    enquiry = enquiry_of(body)
    external_id = enquiry.get("UNIQUE_QUERY_ID") if isinstance(enquiry, dict) else ""
    receive_payload(connector, str(external_id or ""), body)
    return JsonResponse({"CODE": 200, "STATUS": "SUCCESS"})


def to_lead(payload):
    org = payload.connector.organisation
    problem = bodies.unreadable(payload.body)
    if problem:
        raise MappingError(_("IndiaMART's push could not be read: %(problem)s") % {"problem": problem})
    enquiry = enquiry_of(payload.body)
    if enquiry is None:
        raise MappingError(_("IndiaMART's push has no RESPONSE (the enquiry)"))
    try:
        # The notes in the organisation's language: the lead's own text, edited later as words.
        read = fields.lead_fields(enquiry, org.language or settings.LANGUAGE_CODE)
    except fields.NotALead as exc:
        raise MappingError(exc.args[0]) from None  # the words themselves: they carry their recipe
    return bodies.mapped(read, org.phone_region, org.language or settings.LANGUAGE_CODE)


PROVIDER = Provider(
    kind="indiamart",
    label=gettext_noop("IndiaMART"),
    handle=handle,
    options=(
        Option(
            "key",
            secret=True,
            required=False,
            label=gettext_lazy("CRM key (pull API v2)"),
            help=gettext_lazy(
                "From IndiaMART's Lead Manager → CRM API key. Leave empty to use the push only."
            ),
        ),
    ),
    to_lead=to_lead,
    poll=pull.poll,
    help=gettext_lazy(
        "Pulls your IndiaMART enquiries every 5 minutes with the CRM key, and takes IndiaMART's push at the "
        "webhook URL. Each enquiry becomes one lead, however it arrives."
    ),
)
