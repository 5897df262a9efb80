"""Twilio: click-to-call through the company's Twilio number, and the status callbacks of the
lead's leg and of incoming calls, at the connector's one URL. Every request must carry a valid
X-Twilio-Signature: a bad or missing one is a 403 and nothing is stored."""

from django.conf import settings
from django.http import HttpResponse
from django.utils.translation import gettext_lazy, gettext_noop

from leadtracker.integrations import actions as core
from leadtracker.integrations.registry import Option, Provider
from leadtracker.integrations.telephony import fallback, hooks, options
from leadtracker.integrations.twilio import line

EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>'


def handle(request, connector):
    if request.method != "POST":
        return HttpResponse("use POST", status=405, content_type="text/plain")
    given, token = request.headers.get("X-Twilio-Signature", ""), connector.setting("auth_token")
    # Twilio signs the URL it called: the one we gave it (SITE_URL's), which is also what this
    # request's own URL reads as behind a proxy that keeps the host and says the scheme.
    urls = {settings.SITE_URL + request.get_full_path(), request.build_absolute_uri()}
    if not any(line.signed(token, url, request.POST, given) for url in urls):
        return HttpResponse("bad signature", status=403, content_type="text/plain")
    body = hooks.body_of(request) or {}
    # Our marker rides in the callback URL's query (covered by the signature).
    if request.GET.get("marker"):
        body["marker"] = request.GET["marker"]
    core.receive_payload(connector, line.external_id(body), body)
    return HttpResponse(EMPTY_TWIML, content_type="text/xml")


def process(payload):
    return hooks.process(payload, line)


def poll(connector) -> int:
    """The worker's minute: placed calls whose lead leg never reported, asked of Twilio."""
    return fallback.poll(connector, line)


def clean_options(plain: dict) -> dict:
    return options.caller_id(plain, label=gettext_noop("Twilio"))


PROVIDER = Provider(
    kind="twilio",
    label=gettext_noop("Twilio"),
    category="telephony",
    handle=handle,
    process=process,
    poll=poll,
    callback_url=True,
    clean_options=clean_options,
    options=(
        Option("account_sid", label=gettext_lazy("Account SID")),
        Option("auth_token", secret=True, label=gettext_lazy("Auth token")),
        Option("caller_id", label=gettext_lazy("Twilio number (caller id)")),
    ),
    help=gettext_lazy(
        "Click-to-call through your Twilio number; its calls and missed calls go on the leads' timelines."
    ),
    extra={"line": line},
)
