"""`leadtracker integration add --kind exotel|twilio` prints, as its last line, the status
callback URL to paste (Exotel's Passthru, Twilio's number), and never echoes the secrets given."""

import json
from io import StringIO

from django.core.management import call_command

from leadtracker.integrations.models import Connector


def add(*options) -> dict:
    out = StringIO()
    call_command("integration", "add", "--org", "acme", *options, stdout=out, stderr=StringIO())
    return json.loads(out.getvalue().strip().splitlines()[-1])


def test_telephony_connectors_print_their_status_callback_url(acme, settings):
    settings.SITE_URL = "https://crm.example.in"
    made = add(
        "--kind", "exotel",
        "--option", "sid=acme1",
        "--option", "api_key=k-secret",
        "--option", "api_token=t-secret",
        "--option", "caller_id=08047091234",
        "--option", "subdomain=api.in.exotel.com",
    )  # fmt: skip
    exotel = Connector.objects.get(pk=made["id"])
    assert made["status_callback_url"] == f"https://crm.example.in/integrations/hook/{exotel.url_token}"
    assert "webhook_url" not in made
    assert "k-secret" not in json.dumps(made) and "t-secret" not in json.dumps(made)
    assert exotel.secrets == {"api_key": "k-secret", "api_token": "t-secret"}
    assert exotel.options["subdomain"] == "api.in.exotel.com" and "api_key" not in exotel.options

    twilio = add(
        "--kind", "twilio", "--option", "account_sid=AC1", "--option", "auth_token=a-secret",
        "--option", "caller_id=+918047001234",
    )  # fmt: skip
    assert twilio["status_callback_url"].startswith("https://crm.example.in/integrations/hook/")
    assert "a-secret" not in json.dumps(twilio)
