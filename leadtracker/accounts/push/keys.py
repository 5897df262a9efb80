"""The server's VAPID key pair (RFC 8292): it signs every push, and browsers subscribe with its
public half, so a push service accepts pushes for a subscription only from this server.

From the environment (VAPID_PRIVATE_KEY: base64url of the raw 32-byte key or of DER, and
VAPID_PUBLIC_KEY to check it against) or, as with the secret key, generated once into var/ and
kept: a new pair would leave every browser's subscription unusable.
"""

import base64
import functools
import os

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from py_vapid import Vapid02

KEY_FILE_NAME = "vapid_private.pem"


def b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _from_file() -> Vapid02:
    path = settings.VAR_DIR / KEY_FILE_NAME
    if not path.exists():
        key = ec.generate_private_key(ec.SECP256R1())
        pem = key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
        # Written whole under another name first: two processes starting at once keep one pair.
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_bytes(pem)
        tmp.chmod(0o600)
        try:
            os.link(tmp, path)
        except FileExistsError:
            pass
        finally:
            tmp.unlink()
    return Vapid02.from_pem(path.read_bytes())


@functools.cache
def vapid() -> Vapid02:
    private = os.environ.get("VAPID_PRIVATE_KEY", "").strip()
    if not private:
        return _from_file()
    key = Vapid02.from_string(private)
    public = os.environ.get("VAPID_PUBLIC_KEY", "").strip()
    if public and public.rstrip("=") != public_key_of(key):
        raise ImproperlyConfigured("VAPID_PUBLIC_KEY: not the public half of VAPID_PRIVATE_KEY")
    return key


def public_key_of(key: Vapid02) -> str:
    point = key.public_key.public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    return b64url(point)


def public_key() -> str:
    """The applicationServerKey a browser subscribes with: the uncompressed P-256 point."""
    return public_key_of(vapid())
