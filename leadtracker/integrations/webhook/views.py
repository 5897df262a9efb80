"""The generic webhook's part of its connector page: the field mapping the admin edits, and
"Send a test", which posts a sample through the webhook's own endpoint."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.test import RequestFactory
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from leadtracker.accounts.audit import Actor
from leadtracker.accounts.decorators import member_required
from leadtracker.accounts.models import Role
from leadtracker.integrations import selectors
from leadtracker.integrations.actions import update_connector
from leadtracker.integrations.views import hook
from leadtracker.integrations.webhook import bodies, mapping
from leadtracker.integrations.webhook.forms import MappingForm
from leadtracker.integrations.webhook.paths import BadPath
from leadtracker.integrations.webhook.sample import sample_body
from leadtracker.lib.errors import ActionError

# Marks the sample as a test (its lead is tagged so), honoured only with the right secret.
TEST_HEADER = "X-LeadTracker-Test"


def _connector(request, connector_id: int):
    # Another organisation's connector: 404, as for any object.
    return get_object_or_404(selectors.connectors_for(request.membership), pk=connector_id)


def _not_a_webhook(request, connector) -> bool:
    if connector.kind == "webhook":
        return False
    messages.error(
        request,
        _("%(name)s is not a generic webhook: its fields are its provider's.") % {"name": connector.name},
    )
    return True


def _back(connector):
    return redirect("integration", connector_id=connector.pk)


@require_POST
@member_required(Role.ADMIN)
def save_mapping(request, connector_id: int):
    connector = _connector(request, connector_id)
    if _not_a_webhook(request, connector):
        return _back(connector)
    form = MappingForm(request.POST)  # the page writes its inputs by hand, named as these fields
    if not form.is_valid():
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else _("Mapping")
            messages.error(request, f"{label}: {' '.join(errors)}")
        return _back(connector)
    # The card shows the lead's own fields: a custom field's target (fields.budget), set
    # through the API or the command line, is kept as it was.
    saved = connector.options.get("mapping")
    kept = {k: v for k, v in saved.items() if k.startswith("fields.")} if isinstance(saved, dict) else {}
    try:
        update_connector(
            connector,
            actor=Actor.from_request(request),
            options={"mapping": {**kept, **form.cleaned_data["mapping"]}},
        )
    except ActionError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Mapping saved. Replay any payload that failed under the old one."))
    return _back(connector)


@require_POST
@member_required(Role.ADMIN)
def send_test(request, connector_id: int):
    """Post a sample shaped by the mapping to the hook, with the connector's secret: the same
    view, throttle, secret check, log and mapping as a real sender meets. In-process rather than
    over the network: a server often cannot reach its own public address (NAT, a firewall),
    and the test is of our side, not of the route to it."""
    connector = _connector(request, connector_id)
    if _not_a_webhook(request, connector):
        return _back(connector)
    try:
        paths = mapping.of(connector)
    except BadPath as exc:
        messages.error(request, _("Fix the mapping first: %(error)s") % {"error": exc})
        return _back(connector)
    sample = RequestFactory().post(
        f"/integrations/hook/{connector.url_token}",
        data=sample_body(paths),
        content_type="application/json",
        headers={bodies.SECRET_HEADER: connector.secrets.get("secret", ""), TEST_HEADER: "1"},
    )
    answer = hook(sample, connector.url_token)
    if answer.status_code == 200:
        messages.success(
            request, _("Sample sent and accepted: its lead (tagged test lead) shows in the log below.")
        )
    else:
        answered = {"status": answer.status_code, "body": answer.content.decode()[:200]}
        messages.error(request, _("The webhook answered %(status)s: %(body)s") % answered)
    return _back(connector)
