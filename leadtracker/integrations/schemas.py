"""The API's shapes for connectors and payloads. Secrets go in, never out: a connector says
which secret options are set, never their values (those generated are shown once, on creation)."""

import datetime as dt
from typing import Any

from ninja import Field, Schema

from leadtracker.integrations import registry
from leadtracker.integrations.models import Connector
from leadtracker.integrations.selectors import urls_for
from leadtracker.lib.schema import Strict


class ConnectorIn(Strict):
    kind: str = Field(..., max_length=30, description="facebook, google-ads, indiamart, webhook, …")
    name: str = Field("", max_length=80)
    options: dict[str, Any] = Field(default_factory=dict, description="the provider's options, secrets too")
    source_id: int | None = None


class ConnectorPatch(Strict):
    name: str | None = Field(None, max_length=80)
    is_active: bool | None = None
    options: dict[str, Any] | None = Field(None, description="only those to change; an empty secret keeps it")
    source_id: int | None = None


class ConnectorOut(Schema):
    id: int
    kind: str
    label: str
    name: str
    is_active: bool
    source_id: int | None
    options: dict[str, Any] = Field(..., description="the options that are not secret")
    secrets_set: list[str] = Field(..., description="names of the secret options that have a value")
    url: str = Field(..., description="what to paste into the provider")
    url_name: str = Field(..., description="webhook_url or status_callback_url")
    created_at: dt.datetime
    last_received_at: dt.datetime | None
    last_error: str
    last_error_at: dt.datetime | None

    @staticmethod
    def of(c: Connector) -> "ConnectorOut":
        provider = registry.get(c.kind)
        [(url_name, url)] = urls_for(c).items()
        return ConnectorOut(
            id=c.pk,
            kind=c.kind,
            label=provider.label if provider else c.kind,
            name=c.name,
            is_active=c.is_active,
            source_id=c.source_id,
            options=c.options,
            secrets_set=sorted(c.secrets),
            url=url,
            url_name=url_name,
            created_at=c.created_at,
            last_received_at=c.last_received_at,
            last_error=c.last_error,
            last_error_at=c.last_error_at,
        )


class ConnectorCreated(ConnectorOut):
    generated: dict[str, str] = Field(..., description="secrets made for it (verify token, key): shown once")


class PayloadOut(Schema):
    id: int
    received_at: dt.datetime
    external_id: str
    status: str
    error: str
    is_test: bool
    lead_id: int | None
    processed_at: dt.datetime | None
    attempts: int
    body: Any = Field(..., description="as received, recording fields dropped")
