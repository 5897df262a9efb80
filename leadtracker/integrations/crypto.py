"""Connectors' secrets (app secrets, tokens, API keys) sealed with Fernet (AES-128-CBC and an
HMAC) before they reach the database, so a copy of the database alone gives none of them away.

The key: LEADTRACKER_SECRETS_KEY (or LEADTRACKER_SECRETS_KEY_FILE), a Fernet key: url-safe
base64 of 32 bytes, as ``Fernet.generate_key()`` of ``cryptography.fernet`` makes.
Without it, development uses one generated into var/ (settings._secrets_key, as for the secret
key); production (DEBUG off) refuses to seal or open anything without a configured key.
"""

import json
from functools import cache

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext as _


class SecretsUnreadable(Exception):
    """The stored secrets were sealed with another key (it was changed or lost)."""


@cache
def _fernet(key: str) -> Fernet:
    if not key:
        raise ImproperlyConfigured("LEADTRACKER_SECRETS_KEY: required when DEBUG is off (a Fernet key)")
    try:
        return Fernet(key.encode())
    except ValueError:
        message = "LEADTRACKER_SECRETS_KEY: not a Fernet key (url-safe base64 of 32 bytes)"
        raise ImproperlyConfigured(message) from None


def fernet() -> Fernet:
    # Read at each call, so that a test (or a reload) changing the setting gets its own.
    return _fernet(settings.LEADTRACKER_SECRETS_KEY or "")


def seal(values: dict) -> str:
    if not values:
        return ""
    return fernet().encrypt(json.dumps(values, sort_keys=True).encode()).decode()


def open_sealed(token: str) -> dict:
    if not token:
        return {}
    try:
        return json.loads(fernet().decrypt(token.encode()))
    except InvalidToken:
        # gettext's words: read inside recording() (the worker), they keep their recipe for the
        # health panel and the payload log to show in each reader's language.
        raise SecretsUnreadable(
            _("the connector's secrets were sealed with another key; enter them again")
        ) from None
