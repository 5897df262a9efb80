"""A Web Push service on loopback for the tests, and a browser's side of a subscription.

The service checks what a real one checks (RFC 8292: an ES256 JWT signed by the key in k=,
for this origin, not expired, with a contact) and answers each request with the next status
it was told to; the browser half makes the keys a browser makes (an ECDH P-256 pair and a
16-byte auth secret) and decrypts what arrived (RFC 8291, aes128gcm) with http_ece.
"""

import base64
import json
import os
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import http_ece
import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature


def b64d(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def b64e(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


class Browser:
    """The keys of one browser's subscription."""

    def __init__(self):
        self.private = ec.generate_private_key(ec.SECP256R1())
        self.auth = os.urandom(16)

    def keys(self) -> dict:
        point = self.private.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
        return {"p256dh": b64e(point), "auth": b64e(self.auth)}

    def decrypt(self, body: bytes) -> dict:
        return json.loads(
            http_ece.decrypt(body, private_key=self.private, auth_secret=self.auth, version="aes128gcm")
        )


def check_vapid(authorization: str, origin: str) -> tuple[dict, str]:
    """The JWT's claims and the key that signed it, or AssertionError saying what is wrong."""
    scheme, _, params = authorization.partition(" ")
    assert scheme == "vapid", authorization
    fields = dict(part.strip().split("=", 1) for part in params.split(","))
    token, key = fields["t"], fields["k"]
    head, claims, signature = token.split(".")
    assert json.loads(b64d(head)) == {"typ": "JWT", "alg": "ES256"}
    public = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), b64d(key))
    raw = b64d(signature)
    assert len(raw) == 64, "ES256 signatures are r||s, 64 bytes"
    der = encode_dss_signature(int.from_bytes(raw[:32], "big"), int.from_bytes(raw[32:], "big"))
    public.verify(der, f"{head}.{claims}".encode(), ec.ECDSA(hashes.SHA256()))  # raises if forged
    payload = json.loads(b64d(claims))
    assert payload["aud"] == origin, payload
    assert time.time() < payload["exp"] <= time.time() + 24 * 3600, payload
    assert payload.get("sub", "").startswith(("mailto:", "https://")), payload
    return payload, key


class PushService:
    """Started by the test; `answers` are the statuses to give, in order (then 201)."""

    def __init__(self):
        self.received: list[dict] = []
        self.answers: list[int] = []
        service = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                service.received.append(
                    {
                        "path": self.path,
                        "headers": {k.lower(): v for k, v in self.headers.items()},
                        "body": self.rfile.read(length),
                    }
                )
                status = service.answers.pop(0) if service.answers else 201
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.origin = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def endpoint(self, name: str = "sub1") -> str:
        return f"{self.origin}/push/{name}"

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def service(settings):
    """A push service on loopback, which the server may then send to. The tests' folders take it
    through their conftest.py (accounts, calls, leads)."""
    settings.PUSH_ALLOW_LOOPBACK = True
    with PushService() as running:
        yield running
