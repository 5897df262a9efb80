"""API request throttling in fixed windows, counted in the database with one upsert per
request — shared by every gunicorn worker, no cache server to run. Rates are read from
settings at request time, so configuration and tests can change them."""

import hashlib
import time

from django.apps import apps
from django.conf import settings
from django.db import DatabaseError, connection
from ninja.throttling import BaseThrottle, SimpleRateThrottle

from leadtracker.lib.http import client_ip


class _WindowThrottle(SimpleRateThrottle):
    setting_name = ""
    scope = ""

    def __init__(self, rate=None):
        super().__init__(rate or getattr(settings, self.setting_name))

    def get_ident(self, request):
        # The same notion of "the client's address" as login throttling and the audit log.
        return client_ip(request)

    def ident_for(self, request) -> str | None:
        raise NotImplementedError

    def allow_request(self, request) -> bool:
        self.num_requests, self.duration = self.parse_rate(getattr(settings, self.setting_name))
        ident = self.ident_for(request)
        if ident is None or not self.num_requests:
            return True
        now = time.time()
        window = int(now // self.duration)
        self._window_end = (window + 1) * self.duration
        self._now = now
        key = hashlib.sha256(f"{self.scope}:{ident}".encode()).hexdigest()[:40]
        q = connection.ops.quote_name  # "window" is a reserved word in PostgreSQL
        table = q(apps.get_model("accounts", "RateCounter")._meta.db_table)
        slot = f"{q('key')}, {q('window')}"
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} ({slot}, hits, ends_at) VALUES (%s, %s, 1, %s) "  # noqa: S608
                f"ON CONFLICT ({slot}) DO UPDATE SET hits = {table}.hits + 1 RETURNING hits",
                [key, window, int(self._window_end)],
            )
            hits = cursor.fetchone()[0]
        return hits <= self.num_requests

    def wait(self):
        return max(1.0, self._window_end - self._now)


class AnonymousThrottle(_WindowThrottle):
    """Requests without credentials (capture, health), counted per client address."""

    setting_name = "API_RATE_ANONYMOUS"
    scope = "anon"

    def ident_for(self, request):
        if getattr(request, "auth", None) is not None:
            return None
        return self.get_ident(request)


class HealthThrottle(AnonymousThrottle):
    """The health check's: counted like any anonymous request while the database answers, let
    through when it does not (the count lives there), so the check can say so itself."""

    def allow_request(self, request) -> bool:
        try:
            return super().allow_request(request)
        except DatabaseError:
            return True


class UserThrottle(_WindowThrottle):
    """Requests by a signed-in user or token, counted per user."""

    setting_name = "API_RATE_AUTHENTICATED"
    scope = "user"

    def ident_for(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            return f"u{user.pk}"
        return None  # anonymous requests are the other throttle's


class DeviceThrottle(_WindowThrottle):
    """Requests per paired device (call sync), whatever address the phone is on today."""

    setting_name = "SYNC_RATE_PER_DEVICE"
    scope = "device"

    def ident_for(self, request):
        device = getattr(request, "device", None)
        return f"d{device.pk}" if device is not None else None


class CaptureKeyThrottle(_WindowThrottle):
    """Posts per capture key: one website form flooded from many addresses at once."""

    setting_name = "CAPTURE_RATE_PER_KEY"
    scope = "capture"

    def ident_for(self, request):
        match = getattr(request, "resolver_match", None)
        key = match.kwargs.get("key") if match is not None else None
        return f"k{key}" if key else None


def with_defaults(*extra: BaseThrottle) -> list[BaseThrottle]:
    """An operation's own throttles replace the API's; this keeps the API's as well."""
    return [*extra, AnonymousThrottle(), UserThrottle()]


__all__ = [
    "AnonymousThrottle",
    "BaseThrottle",
    "CaptureKeyThrottle",
    "DeviceThrottle",
    "HealthThrottle",
    "UserThrottle",
    "with_defaults",
]
