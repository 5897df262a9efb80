"""The generic inbound webhook: any form tool or portal that can POST JSON or a form.

Repeats: when the mapping names the sender's id for the lead (``id``), a payload is kept once
per id, for ever (the 7 days the log keeps it). Without one, the same body arriving again
within REPEAT_WINDOW is taken for the sender's retry and kept once; the same body later is the
person enquiring again, and becomes a "came back" on their lead, as it should.
"""

import datetime as dt

from django.conf import settings
from django.http import JsonResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from leadtracker.integrations.actions import receive_payload
from leadtracker.integrations.models import Payload
from leadtracker.integrations.registry import MappingError, Option, Provider
from leadtracker.integrations.webhook import bodies, mapping
from leadtracker.integrations.webhook.paths import BadPath
from leadtracker.leads.fields.incoming import fit, target_key
from leadtracker.lib.errors import ActionError

# Form tools retry a delivery they think failed within seconds to minutes.
REPEAT_WINDOW = dt.timedelta(minutes=10)


def _external_id(connector, body) -> str:
    try:
        id_path = mapping.of(connector).get("id")
    except BadPath:
        id_path = None  # the payload fails on it when processed, saying why
    if id_path and not bodies.unreadable(body):
        try:
            given = mapping.value(body, {"id": id_path}, "id")
        except BadPath:
            given = ""
        if given:
            return f"id:{given}"
    digest = mapping.body_hash(body)
    now = timezone.now()
    earlier = (
        Payload.objects.filter(
            connector=connector,
            external_id__startswith=f"body:{digest}:",
            received_at__gte=now - REPEAT_WINDOW,
        )
        .values_list("external_id", flat=True)
        .first()
    )
    return earlier or f"body:{digest}:{int(now.timestamp())}"


def handle(request, connector):
    """Without the connector's secret: 403, nothing kept. Otherwise 200 and the payload logged
    (what cannot become a lead fails in the log with the reason, for a replay after the mapping
    is fixed)."""
    if not bodies.secret_matches(request, connector.secrets.get("secret", "")):
        return JsonResponse({"detail": "wrong or missing secret"}, status=403)
    body = bodies.read(request)
    if isinstance(body, dict) and "secret" in body and request.method == "GET":
        body = {k: v for k, v in body.items() if k != "secret"}
    is_test = request.headers.get("X-LeadTracker-Test") == "1"  # from "Send a test"
    payload, created = receive_payload(connector, _external_id(connector, body), body, is_test=is_test)
    return JsonResponse({"received": True, "id": payload.pk, "repeat": not created})


def clean_options(plain: dict) -> dict:
    """The mapping checked when it is saved, whichever way it comes (page, API, command line),
    so a wrong path is refused there rather than failing the leads that follow."""
    if plain.get("mapping") in (None, "", {}):
        return plain
    try:
        return {**plain, "mapping": mapping.of_given(plain["mapping"])}
    except BadPath as exc:
        raise ActionError(_("the field mapping: %(error)s") % {"error": exc}, field="mapping") from None


def to_lead(payload):
    body = payload.body
    problem = bodies.unreadable(body)
    if problem:
        raise MappingError(_("the body could not be read: %(problem)s") % {"problem": problem})
    try:
        paths = mapping.of(payload.connector)
        read = {name: mapping.value(body, paths, name) for name in mapping.FIELDS}
    except BadPath as exc:
        raise MappingError(exc.args[0] if exc.args else str(exc)) from None
    if not read["phone"]:
        raise MappingError(
            _("no phone number at %(path)r (the path mapped to phone)") % {"path": paths.get("phone")}
        )
    label = payload.connector.name
    org = payload.connector.organisation
    given, left_out = {}, []
    for name in paths:
        if key := target_key(name):
            try:
                given[key] = mapping.value(body, paths, name)
            except BadPath as exc:  # a custom value is never worth refusing the lead over
                left_out.append(exc.args[0])  # names the field and its path, with its recipe
    custom, reasons = fit(org, given)
    made = bodies.mapped(
        {
            "name": read["name"],
            "phones": [p for p in (read["phone"], read["alt_phone"]) if p],
            "email": read["email"],
            "company": read["company"],
            "city": read["city"],
            "notes": read["notes"],
            "attribution": f"{label}: {read['source']}" if read["source"] else label,
        },
        org.phone_region,
        org.language or settings.LANGUAGE_CODE,
    )
    made.data.custom_fields, made.left_out = custom, left_out + reasons
    return made


PROVIDER = Provider(
    kind="webhook",
    label=gettext_noop("Webhook"),
    handle=handle,
    options=(
        Option(
            "secret",
            secret=True,
            generate=True,
            label=gettext_lazy("Shared secret"),
            help=gettext_lazy("Sent in the X-LeadTracker-Secret header, or as ?secret=… in the URL."),
        ),
    ),
    to_lead=to_lead,
    clean_options=clean_options,
    # The connector's page includes the mapping card with its "Send a test" (webhook/views.py).
    extra={"template": "integrations/webhook/_mapping.html", "paste_into": gettext_lazy("your form tool")},
    help=gettext_lazy(
        "Any form tool or portal: POST JSON or a form to the webhook URL with the secret; map the body's "
        "fields to the lead's below."
    ),
)
