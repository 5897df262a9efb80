"""Google Ads lead form webhook: Google POSTs each lead as JSON to the webhook URL, with the
key the advertiser typed beside it in ``google_key``.

Body: ``lead_id``, ``user_column_data[{column_id, column_name, string_value}]``, ``form_id``,
``campaign_id``, ``adgroup_id``, ``creative_id``, ``gcl_id``, ``google_key``, ``is_test``,
``api_version``. A wrong key: 403 and nothing stored. A test lead (the "Send test data" button)
is kept and its lead tagged as a test. De-duplicated on ``lead_id`` (Google retries).
"""

import hmac

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from leadtracker.integrations import hooks
from leadtracker.integrations.actions import receive_payload
from leadtracker.integrations.registry import Mapped, MappingError, Option, Provider
from leadtracker.leads.actions.leads import LeadData
from leadtracker.lib.stored_text import written_in

# Google's column ids (the form's standard questions) -> our field.
NAME_PARTS = ("FULL_NAME", "FIRST_NAME", "LAST_NAME")
PHONES = ("PHONE_NUMBER", "WORK_PHONE")
EMAILS = ("EMAIL", "WORK_EMAIL")
FIELDS = {"CITY": "city", "COMPANY_NAME": "company", "STREET_ADDRESS": "address"}


def handle(request, connector):
    if request.method != "POST":
        return hooks.text("Google Ads lead form webhook: POST leads here", status=405)
    try:
        body = hooks.json_of(request)
    except hooks.BadBody as exc:
        return hooks.refused(exc.args[0], status=400)
    if not isinstance(body, dict):
        return hooks.refused("send a JSON object", status=400)
    key = str(body.get("google_key") or "")
    expected = connector.setting("key")
    if not expected or not hmac.compare_digest(key.encode(), str(expected).encode()):
        return hooks.refused("wrong google_key")
    # The key proved the sender; it is not kept with the lead.
    body = {k: v for k, v in body.items() if k != "google_key"}
    receive_payload(connector, body.get("lead_id"), body, is_test=body.get("is_test") is True)
    return hooks.ok()


def _attribution(body: dict, org) -> str:
    """The first line of the lead's note, in the organisation's language: the lead's own text,
    written as words (lib/stored_text.written_in), like the connectors' notes."""
    said = {"form": body.get("form_id") or "?", "campaign": body.get("campaign_id")}
    with written_in(org.language or settings.LANGUAGE_CODE):
        if said["campaign"]:
            return str(_("Google Ads: form %(form)s, campaign %(campaign)s") % said)
        return str(_("Google Ads: form %(form)s") % said)


def to_lead(payload) -> Mapped:
    body = payload.body
    columns = body.get("user_column_data")
    if not isinstance(columns, list):
        raise MappingError(_("no user_column_data in the lead"))
    values, answers = {}, []
    for column in columns:
        if not isinstance(column, dict):
            continue
        column_id = str(column.get("column_id") or "").upper()
        value = str(column.get("string_value") or "").strip()
        if not value:
            continue
        if column_id in (*NAME_PARTS, *PHONES, *EMAILS, *FIELDS):
            values.setdefault(column_id, value)
        else:
            answers.append(f"{column.get('column_name') or column_id}: {value}")
    parts = (values.get("FIRST_NAME"), values.get("LAST_NAME"))
    name = values.get("FULL_NAME") or " ".join(v for v in parts if v)
    data = LeadData(
        name=name,
        phones=[values[k] for k in PHONES if k in values],
        email=next((values[k] for k in EMAILS if k in values), ""),
        **{field: values.get(column, "") for column, field in FIELDS.items()},
    )
    return Mapped(
        data=data,
        attribution=_attribution(body, payload.connector.organisation),
        notes="\n".join(answers),
        is_test=body.get("is_test") is True,
    )


PROVIDER = Provider(
    kind="google-ads",
    label=gettext_noop("Google Ads lead forms"),
    handle=handle,
    to_lead=to_lead,
    options=(
        Option(
            "key",
            secret=True,
            generate=True,
            label=gettext_lazy("Key"),
            help=gettext_lazy("paste it in the form's Key box"),
        ),
    ),
    help=gettext_lazy("Google Ads → the lead form asset → Lead delivery → Webhook integration."),
)
