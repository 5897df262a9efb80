"""Exotel: click-to-call through the ExoPhone, its status callbacks and the incoming flow's
Passthru, all at the connector's one URL. Exotel signs nothing: the URL's secret token is the
check (a wrong one is the core's 404, before anything is stored)."""

from django.http import HttpResponse
from django.utils.translation import gettext_lazy, gettext_noop

from leadtracker.integrations import actions as core
from leadtracker.integrations.exotel import line
from leadtracker.integrations.registry import Option, Provider
from leadtracker.integrations.telephony import fallback, hooks, options
from leadtracker.lib.stored_text import stored

HOSTS = gettext_lazy("api.exotel.com (Singapore) or api.in.exotel.com (Mumbai)")


def handle(request, connector):
    if request.method not in ("GET", "POST"):
        return HttpResponse("use GET or POST", status=405, content_type="text/plain")
    body = hooks.body_of(request)
    if body is None:
        # Logged as failed for the health panel, without the text: unread, its recording
        # fields could not be dropped.
        failed = stored(gettext_noop("Exotel sent neither a form nor a JSON object"))
        core.receive_payload(connector, "", {}, failed=failed)
        return HttpResponse("send a form or a JSON object", status=400, content_type="text/plain")
    core.receive_payload(connector, line.external_id(body), body)
    return HttpResponse("OK", content_type="text/plain")


def process(payload):
    return hooks.process(payload, line)


def poll(connector) -> int:
    return fallback.poll(connector, line)


def clean_options(plain: dict) -> dict:
    plain = options.caller_id(plain, label=gettext_noop("ExoPhone"))
    return options.api_host(plain, name="subdomain", domain="exotel.com", example=HOSTS)


PROVIDER = Provider(
    kind="exotel",
    label=gettext_noop("Exotel"),
    category="telephony",
    handle=handle,
    process=process,
    poll=poll,
    callback_url=True,
    clean_options=clean_options,
    options=(
        Option("sid", label=gettext_lazy("Account SID")),
        Option("api_key", secret=True, label=gettext_lazy("API key")),
        Option("api_token", secret=True, label=gettext_lazy("API token")),
        Option("caller_id", label=gettext_lazy("ExoPhone (caller id)")),
        Option(
            "subdomain",
            required=False,
            label=gettext_lazy("API host"),
            help=HOSTS,
        ),
    ),
    help=gettext_lazy(
        "Click-to-call through your ExoPhone; calls and missed incoming calls land on the lead's timeline."
    ),
    extra={"line": line},
)
