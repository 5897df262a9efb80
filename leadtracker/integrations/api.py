"""/api/v1/integrations: the organisation's connectors and their payload logs, for admins."""

from django.utils.translation import gettext as _
from ninja import Status

from leadtracker.accounts.audit import Actor
from leadtracker.accounts.models import Role
from leadtracker.integrations import actions
from leadtracker.integrations.models import Connector, Payload
from leadtracker.integrations.schemas import (
    ConnectorCreated,
    ConnectorIn,
    ConnectorOut,
    ConnectorPatch,
    PayloadOut,
)
from leadtracker.leads.models import LeadSource
from leadtracker.lib.errors import ActionError
from leadtracker.lib.pagination import keyset_page
from leadtracker.lib.router import Router
from leadtracker.lib.schema import require_role

router = Router(ids_of="leadtracker.integrations.api", tags=["integrations"])


def _connector(request, connector_id: int) -> Connector:
    # Looked up in the caller's organisation first: another organisation's id is 404 for anyone.
    connector = Connector.objects.filter(organisation_id=request.org.pk, pk=connector_id).first()
    if connector is None:
        raise ActionError(_("no such connector"), field="id", status_code=404)
    require_role(request, Role.ADMIN)
    return connector


def _source(request, source_id: int | None) -> LeadSource | None:
    if source_id is None:
        return None
    source = LeadSource.objects.filter(organisation_id=request.org.pk, pk=source_id).first()
    if source is None:
        raise ActionError(_("no such source"), field="source_id", status_code=404)
    return source


@router.get("/integrations", response=list[ConnectorOut])
def list_connectors(request):
    require_role(request, Role.ADMIN)
    rows = Connector.objects.filter(organisation_id=request.org.pk).order_by("pk")
    return [ConnectorOut.of(c) for c in rows]


@router.post("/integrations", response={201: ConnectorCreated}, summary="Add a connector")
def add_connector(request, payload: ConnectorIn):
    require_role(request, Role.ADMIN)
    connector, generated = actions.add_connector(
        request.org,
        kind=payload.kind,
        name=payload.name,
        options=payload.options,
        source=_source(request, payload.source_id),
        actor=Actor.from_request(request),
    )
    return Status(201, ConnectorCreated(**ConnectorOut.of(connector).model_dump(), generated=generated))


@router.get("/integrations/{connector_id}", response=ConnectorOut)
def get_connector(request, connector_id: int):
    return ConnectorOut.of(_connector(request, connector_id))


@router.patch("/integrations/{connector_id}", response=ConnectorOut)
def update_connector(request, connector_id: int, payload: ConnectorPatch):
    connector = _connector(request, connector_id)
    actions.update_connector(
        connector,
        name=payload.name,
        is_active=payload.is_active,
        options=payload.options,
        source=_source(request, payload.source_id),
        actor=Actor.from_request(request),
    )
    return ConnectorOut.of(connector)


@router.delete("/integrations/{connector_id}", response={204: None})
def remove_connector(request, connector_id: int):
    actions.remove_connector(_connector(request, connector_id), actor=Actor.from_request(request))
    return Status(204, None)


@router.get("/integrations/{connector_id}/payloads", response=list[PayloadOut])
def list_payloads(request, connector_id: int, cursor: int | None = None, limit: int = 50):
    connector = _connector(request, connector_id)
    rows, _next = keyset_page(
        Payload.objects.filter(organisation_id=request.org.pk, connector=connector),
        cursor=cursor,
        limit=limit,
        descending=True,
    )
    return rows


@router.post("/integrations/{connector_id}/payloads/{payload_id}/replay", response=PayloadOut)
def replay_payload(request, connector_id: int, payload_id: int):
    connector = _connector(request, connector_id)
    payload = Payload.objects.filter(
        organisation_id=request.org.pk, connector=connector, pk=payload_id
    ).first()
    if payload is None:
        raise ActionError(_("no such payload"), field="payload_id", status_code=404)
    return actions.replay_payload(payload, actor=Actor.from_request(request))
