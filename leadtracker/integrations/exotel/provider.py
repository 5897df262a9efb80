"""Exotel: click-to-call through the ExoPhone, its status callbacks and the incoming flow's
Passthru, all at the connector's one URL. Exotel signs nothing: the URL's secret token is the
check (a wrong one is the core's 404, before anything is stored)."""

from django.http import HttpResponse

from leadtracker.integrations import actions as core
from leadtracker.integrations.exotel import line
from leadtracker.integrations.registry import Option, Provider
from leadtracker.integrations.telephony import fallback, hooks, options

HOSTS = "api.exotel.com (Singapore) or api.in.exotel.com (Mumbai)"


def handle(request, connector):
    if request.method not in ("GET", "POST"):
        return HttpResponse("use GET or POST", status=405, content_type="text/plain")
    body = hooks.body_of(request)
    if body is None:
        # Logged as failed for the health panel, without the text: unread, its recording
        # fields could not be dropped.
        core.receive_payload(connector, "", {}, failed="Exotel sent neither a form nor a JSON object")
        return HttpResponse("send a form or a JSON object", status=400, content_type="text/plain")
    core.receive_payload(connector, line.external_id(body), body)
    return HttpResponse("OK", content_type="text/plain")


def process(payload):
    return hooks.process(payload, line)


def poll(connector) -> int:
    return fallback.poll(connector, line)


def clean_options(plain: dict) -> dict:
    plain = options.caller_id(plain, label="ExoPhone")
    return options.api_host(plain, name="subdomain", domain="exotel.com", example=HOSTS)


PROVIDER = Provider(
    kind="exotel",
    label="Exotel",
    category="telephony",
    handle=handle,
    process=process,
    poll=poll,
    callback_url=True,
    clean_options=clean_options,
    options=(
        Option("sid", label="Account SID"),
        Option("api_key", secret=True, label="API key"),
        Option("api_token", secret=True, label="API token"),
        Option("caller_id", label="ExoPhone (caller id)"),
        Option(
            "subdomain",
            required=False,
            label="API host",
            help=HOSTS,
        ),
    ),
    help="Click-to-call through your ExoPhone; calls and missed incoming calls land on the lead's timeline.",
    extra={"line": line},
)
