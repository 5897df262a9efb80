"""Helpers for the integrations' tests: post to a connector's hook as its provider would, and
do the worker's part (the jobs the hook queued) in the test's own process."""

import json
from html import unescape

from leadtracker.accounts.audit import Actor
from leadtracker.integrations.actions import add_connector, process_payload
from leadtracker.integrations.models import Payload, PayloadStatus

# A Google Ads lead form's payload (lead_id "g-2", form 4) from Kavita N on +91 98765 11122, with a
# question answered: the "came back" tests' enquiry from a number a lead already has.
CAME_BACK_BODY = {
    "lead_id": "g-2",
    "form_id": 4,
    "user_column_data": [
        {"column_id": "FULL_NAME", "string_value": "Kavita N"},
        {"column_id": "PHONE_NUMBER", "string_value": "+919876511122"},
        {"column_id": "q1", "column_name": "Budget", "string_value": "50 lakh"},
    ],
}


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


def reads_in_both(people, connector_, english: str, hindi: str) -> None:
    """The connector's page (its payload log and last error) says ``english`` to Olga, who reads
    English, and ``hindi`` (and not the English) to Adam, who chose Hindi (issue 20 §3)."""
    from leadtracker.testing import hindi_client, login_client

    def page(client) -> str:
        answer = client.get(f"/settings/integrations/{connector_.pk}/")
        return " ".join(unescape(answer.content.decode()).split())

    assert english in page(login_client(people.olga))
    in_hindi = page(hindi_client(people.adam))
    assert hindi in in_hindi and english not in in_hindi
