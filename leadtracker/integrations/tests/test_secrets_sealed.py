"""A connector's secrets are stored sealed (Fernet, LEADTRACKER_SECRETS_KEY): the database
row holds none of them in clear, and another key cannot open them."""

import pytest
from cryptography.fernet import Fernet
from django.db import connection

from leadtracker.integrations.crypto import SecretsUnreadable
from leadtracker.integrations.models import Connector
from leadtracker.integrations.tests.util import connector


def test_secrets_are_sealed_in_the_database(acme):
    made, generated = connector(acme, "facebook", app_secret="s3cret-app", page_token="EAAB-page-token")
    with connection.cursor() as cursor:
        cursor.execute("SELECT options, sealed_secrets FROM integrations_connector WHERE id = %s", [made.pk])
        options, sealed = cursor.fetchone()
    for value in ("s3cret-app", "EAAB-page-token", generated["verify_token"]):
        assert value not in str(options) and value not in sealed
    again = Connector.objects.get(pk=made.pk)
    assert again.secrets == {
        "app_secret": "s3cret-app",
        "page_token": "EAAB-page-token",
        "verify_token": generated["verify_token"],
    }


def test_another_key_cannot_open_them(acme, settings):
    made, _ = connector(acme, "google-ads")
    settings.LEADTRACKER_SECRETS_KEY = Fernet.generate_key().decode()
    with pytest.raises(SecretsUnreadable):
        _ = Connector.objects.get(pk=made.pk).secrets
