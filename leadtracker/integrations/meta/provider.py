"""Facebook / Instagram Lead Ads, through a Meta app's webhook on the page's ``leadgen`` field.

- GET: the subscription handshake — ``hub.mode=subscribe`` and ``hub.verify_token`` equal to
  the connector's: echo ``hub.challenge``; anything else 403.
- POST: ``X-Hub-Signature-256: sha256=<HMAC-SHA256 of the raw body with the app secret>``,
  compared in constant time; bad or missing: 403 and nothing stored. The body carries ids only
  (``entry[].changes[].value.{leadgen_id, page_id, form_id, ad_id, adgroup_id, created_time}``):
  one payload per ``leadgen_id`` (Meta retries for up to 36 hours), answered 200 at once.
- The worker fetches the lead from the Graph API with the page token (graph.py) and maps its
  ``field_data`` (mapping.py).
"""

import hashlib
import hmac

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from leadtracker.integrations import hooks
from leadtracker.integrations.actions import receive_payload
from leadtracker.integrations.meta.graph import fetch_lead, form_name
from leadtracker.integrations.meta.mapping import lead_of
from leadtracker.integrations.registry import MappingError, Option, Provider
from leadtracker.lib.stored_text import stored


def _verify(request, connector):
    mode = request.GET.get("hub.mode", "")
    token = request.GET.get("hub.verify_token", "")
    expected = str(connector.setting("verify_token") or "")
    if mode == "subscribe" and expected and hmac.compare_digest(token.encode(), expected.encode()):
        return hooks.text(request.GET.get("hub.challenge", ""))
    return hooks.text("verify token does not match", status=403)


def signed(raw: bytes, app_secret: str, header: str) -> bool:
    if not app_secret or not header.startswith("sha256="):
        return False
    expected = hmac.new(app_secret.encode(), raw, hashlib.sha256).hexdigest()
    return hmac.compare_digest(header.removeprefix("sha256=").strip().lower().encode(), expected.encode())


def leadgen_changes(body) -> list[dict]:
    """The ``value`` of every leadgen change in a delivery (Meta batches several)."""
    found = []
    entries = body.get("entry") if isinstance(body, dict) else None
    for entry in entries if isinstance(entries, list) else []:
        changes = entry.get("changes") if isinstance(entry, dict) else None
        for change in changes if isinstance(changes, list) else []:
            if not isinstance(change, dict) or change.get("field") != "leadgen":
                continue
            if isinstance(change.get("value"), dict):
                found.append(change["value"])
    return found


def handle(request, connector):
    if request.method == "GET":
        return _verify(request, connector)
    if request.method != "POST":
        return hooks.text("GET (verification) or POST", status=405)
    header = request.headers.get("X-Hub-Signature-256", "")
    if not signed(request.body, connector.setting("app_secret"), header):
        return hooks.text("bad signature", status=403)
    try:
        body = hooks.json_of(request)
    except hooks.BadBody:
        body = None
    changes = leadgen_changes(body)
    if not changes:
        # Signed by Meta but not a lead: kept as failed so the admin sees what came, and still
        # answered 200 (Meta would retry, then turn the subscription off).
        reason = stored(gettext_noop("a delivery without leadgen changes (entry[].changes[].value)"))
        receive_payload(connector, "", {"raw": hooks.raw_text(request)}, failed=reason)
        return hooks.ok()
    for value in changes:
        receive_payload(connector, value.get("leadgen_id"), value)
    return hooks.ok()


def to_lead(payload):
    leadgen_id = payload.body.get("leadgen_id")
    if not leadgen_id:
        raise MappingError(_("no leadgen_id in the delivery"))
    lead = fetch_lead(payload.connector, str(leadgen_id))
    form_id = str(lead.get("form_id") or payload.body.get("form_id") or "")
    return lead_of(payload.connector, payload.body, lead, form_name(payload.connector, form_id))


PROVIDER = Provider(
    kind="facebook",
    label=gettext_noop("Facebook Lead Ads"),
    handle=handle,
    to_lead=to_lead,
    options=(
        Option(
            "app_secret",
            secret=True,
            label=gettext_lazy("App secret"),
            help=gettext_lazy("Meta app → App settings → Basic"),
        ),
        Option("verify_token", secret=True, generate=True, label=gettext_lazy("Verify token")),
        Option(
            "page_token",
            secret=True,
            label=gettext_lazy("Page access token"),
            help=gettext_lazy("a long-lived page token with leads_retrieval"),
        ),
    ),
    help=gettext_lazy("Facebook and Instagram lead forms, through your Meta app's leadgen webhook."),
)
