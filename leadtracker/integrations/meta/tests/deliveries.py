"""Meta's side of the tests: deliveries as Meta sends them, signed with the app secret."""

import hashlib
import hmac
import json

from leadtracker.integrations.tests.util import post_json

APP_SECRET = "app-secret-xyz"


def delivery(*leadgen_ids, form_id="9001", page_id="5001") -> bytes:
    """A leadgen webhook delivery as Meta sends it: ids only."""
    changes = [
        {
            "field": "leadgen",
            "value": {
                "leadgen_id": leadgen_id,
                "page_id": page_id,
                "form_id": form_id,
                "ad_id": "6001",
                "adgroup_id": "7001",
                "created_time": 1796544000,
            },
        }
        for leadgen_id in leadgen_ids
    ]
    body = {"object": "page", "entry": [{"id": page_id, "time": 1796544000, "changes": changes}]}
    return json.dumps(body).encode()


def signature(raw: bytes, secret: str = APP_SECRET) -> str:
    return "sha256=" + hmac.new(secret.encode(), raw, hashlib.sha256).hexdigest()


def send(client, facebook, raw: bytes, sign: str | None = None):
    headers = {"X-Hub-Signature-256": signature(raw) if sign is None else sign}
    return post_json(client, facebook, raw, **headers)
