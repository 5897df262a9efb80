"""JustDial's lead push as a connector. JustDial sends each enquiry to the URL given to its
team (form fields, a query string or JSON), and reads the answer "RECEIVED" as delivered."""

from django.conf import settings
from django.http import HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from leadtracker.integrations.actions import receive_payload
from leadtracker.integrations.justdial import fields
from leadtracker.integrations.registry import MappingError, Option, Provider
from leadtracker.integrations.webhook import bodies

RECEIVED = "RECEIVED"


def handle(request, connector):
    """A push without the connector's secret is refused (403) and nothing is kept; anything
    else is logged and answered RECEIVED (a push that cannot become a lead fails in the log,
    with the reason, rather than being sent again and again)."""
    if not bodies.secret_matches(request, connector.secrets.get("secret", "")):
        return HttpResponse("wrong or missing secret", status=403, content_type="text/plain")
    body = bodies.read(request)
    body = {k: v for k, v in body.items() if k != "secret"} if isinstance(body, dict) else body
    if request.method != "POST" and not body:
        return HttpResponse(RECEIVED, content_type="text/plain")  # a check that the URL answers
    external_id = body.get("leadid") if isinstance(body, dict) else ""
    receive_payload(connector, str(external_id or ""), body)
    return HttpResponse(RECEIVED, content_type="text/plain")


def to_lead(payload):
    org = payload.connector.organisation
    problem = bodies.unreadable(payload.body)
    if problem:
        raise MappingError(_("JustDial's push could not be read: %(problem)s") % {"problem": problem})
    try:
        # The notes in the organisation's language: the lead's own text, edited later as words.
        read = fields.lead_fields(payload.body, org.language or settings.LANGUAGE_CODE)
    except fields.NotALead as exc:
        raise MappingError(exc.args[0]) from None  # the words themselves: they carry their recipe
    return bodies.mapped(read, org.phone_region, org.language or settings.LANGUAGE_CODE)


PROVIDER = Provider(
    kind="justdial",
    label=gettext_noop("JustDial"),
    handle=handle,
    options=(
        Option(
            "secret",
            secret=True,
            generate=True,
            label=gettext_lazy("Shared secret"),
            help=gettext_lazy("Sent by JustDial in the URL (?secret=…) or the X-LeadTracker-Secret header."),
        ),
    ),
    to_lead=to_lead,
    help=gettext_lazy(
        "Give JustDial's team the webhook URL with ?secret=… at its end; each enquiry becomes a lead."
    ),
)
