"""Settings → Integrations: the organisation's connectors (admins only) — add one and see its
secrets once, each one's health and payload log, change it, replay a failed payload."""

import datetime as dt
import json

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from leadtracker.accounts.audit import Actor
from leadtracker.accounts.decorators import member_required
from leadtracker.accounts.models import Role
from leadtracker.integrations import actions, health, registry
from leadtracker.integrations.forms import ConnectorForm
from leadtracker.integrations.models import PAYLOAD_DAYS, PayloadStatus
from leadtracker.integrations.selectors import connectors_for, payloads_for, urls_for
from leadtracker.lib import confirm
from leadtracker.lib.errors import ActionError

LOG_ROWS = 100
ADDED = "integration_added"  # the session's key for the secrets shown once


def _day_start(org):
    now = timezone.now().astimezone(org.tzinfo)
    return now.replace(hour=0, minute=0, second=0, microsecond=0)


def _connector(request, connector_id: int):
    connector = connectors_for(request.membership).filter(pk=connector_id).first()
    if connector is None:
        raise Http404("no such connector")
    return connector


def _provider(kind: str):
    provider = registry.get(kind)
    if provider is None:
        raise Http404("no such kind of connector")
    return provider


@member_required(Role.ADMIN)
def integrations(request):
    connectors = list(connectors_for(request.membership).order_by("pk"))
    figures = health.figures(connectors, day_start=_day_start(request.org))
    rows = [
        {"c": c, "provider": registry.get(c.kind), "url": next(iter(urls_for(c).values())), **figures[c.pk]}
        for c in connectors
    ]
    kinds = list(registry.providers().values())
    return render(request, "integrations/list.html", {"rows": rows, "kinds": kinds})


def _apply_errors(form, exc: ActionError):
    form.add_error(exc.field if exc.field in form.fields else None, exc.message)


@member_required(Role.ADMIN)
def add_integration(request, kind: str):
    provider = _provider(kind)
    form = ConnectorForm(request.POST or None, provider=provider)
    if request.method == "POST" and form.is_valid():
        try:
            connector, generated = actions.add_connector(
                request.org,
                kind=provider.kind,
                name=form.cleaned_data["name"],
                options=form.options(),
                actor=Actor.from_request(request),
            )
        except ActionError as exc:
            _apply_errors(form, exc)
        else:
            # Post/redirect/get: a refresh of the page that shows the secrets reads them from the
            # session once, and never posts the form again (a second connector, a new secret).
            request.session[ADDED] = {"connector": connector.pk, "generated": generated}
            return redirect("integration_added", connector_id=connector.pk)
    return render(request, "integrations/add.html", {"form": form, "provider": provider})


@member_required(Role.ADMIN)
def integration_added(request, connector_id: int):
    """The secrets made for a connector just added, shown once: the session keeps them for this
    one view. Opened again (a refresh, the back button), it is the connector's page."""
    connector = _connector(request, connector_id)
    added = request.session.pop(ADDED, None)
    if not added or added.get("connector") != connector.pk:
        return redirect("integration", connector_id=connector.pk)
    provider = _provider(connector.kind)
    labels = {o.name: o.label or o.name.replace("_", " ").capitalize() for o in provider.options}
    context = {
        "c": connector,
        "provider": provider,
        # In the provider's words: "your form tool" for the generic webhook.
        "paste_into": provider.extra.get("paste_into", provider.label),
        "generated": [(labels.get(name, name), value) for name, value in added["generated"].items()],
        "urls": urls_for(connector),
    }
    return render(request, "integrations/added.html", context)


@member_required(Role.ADMIN)
def integration(request, connector_id: int):
    connector = _connector(request, connector_id)
    provider = _provider(connector.kind)
    form = ConnectorForm(request.POST or None, provider=provider, connector=connector)
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_connector(
                connector,
                name=form.cleaned_data["name"],
                is_active=form.cleaned_data["is_active"],
                options=form.options(),
                actor=Actor.from_request(request),
            )
        except ActionError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("%(name)s saved.") % {"name": connector.name})
            return redirect("integration", connector_id=connector.pk)
    figures = health.figures([connector], day_start=_day_start(request.org))[connector.pk]
    since = timezone.now() - dt.timedelta(days=PAYLOAD_DAYS)
    log = payloads_for(request.membership, connector).filter(received_at__gte=since).select_related("lead")
    # The last lead made, or for a telephony line the last call stored (a report that was no
    # call's end is done but made none).
    last_lead = (
        payloads_for(request.membership, connector)
        .filter(status__in=[PayloadStatus.DONE, PayloadStatus.DUPLICATE])
        .exclude(lead=None)
        .values_list("processed_at", flat=True)
        .first()
    )
    context = {
        "c": connector,
        "provider": provider,
        "form": form,
        "urls": urls_for(connector),
        "figures": figures,
        "last_lead": last_lead,
        "log": log[:LOG_ROWS],
        "days": PAYLOAD_DAYS,
    }
    return render(request, "integrations/detail.html", context)


@member_required(Role.ADMIN)
def integration_payload(request, connector_id: int, payload_id: int):
    """One entry of the payload log: what the provider sent (recording fields already dropped),
    what became of it, and Replay when it failed. Linked from the lead it made."""
    connector = _connector(request, connector_id)
    payload = payloads_for(request.membership, connector).select_related("lead").filter(pk=payload_id).first()
    if payload is None:
        raise Http404("no such payload")
    context = {
        "c": connector,
        "provider": _provider(connector.kind),
        "p": payload,
        "body": json.dumps(payload.body, indent=2, ensure_ascii=False, sort_keys=True),
        "days": PAYLOAD_DAYS,
    }
    return render(request, "integrations/payload.html", context)


@require_POST
@member_required(Role.ADMIN)
def replay_integration_payload(request, connector_id: int, payload_id: int):
    connector = _connector(request, connector_id)
    payload = payloads_for(request.membership, connector).filter(pk=payload_id).first()
    if payload is None:
        raise Http404("no such payload")
    try:
        actions.replay_payload(payload, actor=Actor.from_request(request))
    except ActionError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Queued again: it is processed in a moment."))
    return redirect("integration", connector_id=connector.pk)


@require_POST
@member_required(Role.ADMIN)
def remove_integration(request, connector_id: int):
    connector = _connector(request, connector_id)
    count = connector.payloads.count()
    question = confirm.Question(
        title=_("Remove “%(name)s”?") % {"name": connector.name},
        details=[
            _("Its URL stops answering at once: the provider's deliveries are refused."),
            _("Its payload log (%(count)s kept) goes with it; the leads it made stay.") % {"count": count},
        ],
        button=_("Remove connector"),
        cancel_url=f"/settings/integrations/{connector.pk}/",
    )
    if (answer := confirm.gate(request, question)) is not None:
        return answer
    actions.remove_connector(connector, actor=Actor.from_request(request))
    messages.success(request, _("%(name)s removed.") % {"name": connector.name})
    return redirect("integrations")
