"""Helpers for the integrations' tests: post to a connector's hook as its provider would, and
do the worker's part (the jobs the hook queued) in the test's own process."""

import json

from leadtracker.accounts.audit import Actor
from leadtracker.integrations.actions import add_connector, process_payload
from leadtracker.integrations.models import Payload, PayloadStatus


def connector(people, kind: str, **options):
    admin = Actor.for_user(people.adam.user)
    return add_connector(people.org, kind=kind, actor=admin, options=options)


def hook_path(connector) -> str:
    return f"/integrations/hook/{connector.url_token}"


def post_json(client, connector, body, **headers):
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    return client.generic("POST", hook_path(connector), raw, content_type="application/json", headers=headers)


def work_off() -> list[Payload]:
    """Process every waiting payload as the worker would; the payloads, processed."""
    return [process_payload(p) for p in Payload.objects.filter(status=PayloadStatus.RECEIVED).order_by("pk")]
