"""Reads of the integrations, with visibility applied: connectors and their payload logs are
the organisation's admins' (they hold secrets and whole leads as received)."""

from django.conf import settings
from django.urls import reverse

from leadtracker.accounts.models import Role
from leadtracker.integrations import registry
from leadtracker.integrations.models import Connector, Payload, PayloadStatus


def may_manage(membership) -> bool:
    return membership is not None and membership.has_role(Role.ADMIN)


def connectors_for(membership):
    if not may_manage(membership):
        return Connector.objects.none()
    return Connector.objects.filter(organisation_id=membership.organisation_id).select_related("source")


def payloads_for(membership, connector: Connector):
    if not may_manage(membership) or connector.organisation_id != membership.organisation_id:
        return Payload.objects.none()
    return Payload.objects.filter(organisation_id=connector.organisation_id, connector=connector)


def origin_payload(membership, lead) -> dict | None:
    """For an admin, the payload that made ``lead`` (its ``pk`` and ``connector_id``, for a link
    to its log entry), while the log keeps it (7 days); None for everyone else: agents and
    managers see where a lead came from, never what the provider sent."""
    if not may_manage(membership) or lead.organisation_id != membership.organisation_id:
        return None
    return (
        Payload.objects.filter(organisation_id=lead.organisation_id, lead=lead, status=PayloadStatus.DONE)
        .order_by("received_at", "pk")
        .values("pk", "connector_id")
        .first()
    )


def hook_url(connector: Connector) -> str:
    return settings.SITE_URL + reverse("integration-hook", args=[connector.url_token])


def urls_for(connector: Connector) -> dict:
    """What to paste into the provider: the webhook URL of a lead source, the status callback
    URL of a telephony connector."""
    provider = registry.get(connector.kind)
    name = "status_callback_url" if provider is not None and provider.callback_url else "webhook_url"
    return {name: hook_url(connector)}
