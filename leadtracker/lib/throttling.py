"""API request throttling, with rates read from settings at request time (so they can be
changed by configuration and by tests without rebuilding the API)."""

from django.conf import settings
from ninja.throttling import AnonRateThrottle, UserRateThrottle

from leadtracker.lib.http import client_ip


class _FromSettings:
    setting_name = ""

    def get_ident(self, request):
        # The same notion of "the client's address" as login throttling and the audit log.
        return client_ip(request)

    def allow_request(self, request):
        self.rate = getattr(settings, self.setting_name)
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request)


class AnonymousThrottle(_FromSettings, AnonRateThrottle):
    """Requests without valid credentials, counted per client address."""

    setting_name = "API_RATE_ANONYMOUS"


class UserThrottle(_FromSettings, UserRateThrottle):
    """Requests by a signed-in user or token, counted per user."""

    setting_name = "API_RATE_AUTHENTICATED"
