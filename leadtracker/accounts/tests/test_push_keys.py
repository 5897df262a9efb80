"""The server's VAPID key pair (accounts/push/keys.py): generated once into var/ and kept (a new
pair would leave every browser's subscription unusable), or taken from the environment and
checked against its public half."""

import base64
import stat

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from django.core.exceptions import ImproperlyConfigured

from leadtracker.accounts.push import keys


@pytest.fixture
def fresh(settings, tmp_path, monkeypatch):
    settings.VAR_DIR = tmp_path
    monkeypatch.delenv("VAPID_PRIVATE_KEY", raising=False)
    monkeypatch.delenv("VAPID_PUBLIC_KEY", raising=False)
    keys.vapid.cache_clear()
    yield tmp_path
    keys.vapid.cache_clear()


def test_a_pair_is_made_once_into_var_and_kept(fresh):
    first = keys.public_key()
    path = fresh / keys.KEY_FILE_NAME
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert len(base64.urlsafe_b64decode(first + "==")) == 65  # an uncompressed P-256 point
    keys.vapid.cache_clear()  # a restarted server reads the same file
    assert keys.public_key() == first
    assert list(fresh.glob("*.tmp")) == []


def _raw(key) -> str:
    return keys.b64url(key.private_numbers().private_value.to_bytes(32, "big"))


def test_the_environment_gives_the_pair_and_a_wrong_public_half_is_refused(fresh, monkeypatch):
    key = ec.generate_private_key(ec.SECP256R1())
    point = serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    public = keys.b64url(key.public_key().public_bytes(*point))
    monkeypatch.setenv("VAPID_PRIVATE_KEY", _raw(key))
    monkeypatch.setenv("VAPID_PUBLIC_KEY", public)
    assert keys.public_key() == public
    assert not (fresh / keys.KEY_FILE_NAME).exists()
    keys.vapid.cache_clear()
    monkeypatch.setenv("VAPID_PUBLIC_KEY", _raw(ec.generate_private_key(ec.SECP256R1())))
    with pytest.raises(ImproperlyConfigured, match="VAPID_PUBLIC_KEY"):
        keys.vapid()
