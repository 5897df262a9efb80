"""The acceptance gate: a signed-in member whose organisation has a notice in effect that they
have not accepted is sent to accept it before anything else.

Only people are gated, not machines: requests with a bearer token (phones syncing calls with
their device token, integrations pushing leads with a personal token) pass. A phone cannot read
or accept a notice, and stopping it would lose the very records the notice describes; the person
behind it is asked at their next page view. A browser calling the API with its session gets a
403 that names the version to accept.

The answer is kept in the session for a minute (and never past the moment a scheduled version
takes effect), so the gate costs no query on most requests; accepting clears it at once.
"""

import time

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from leadtracker.privacy import selectors

SESSION_KEY = "privacy_gate"
RECHECK_SECONDS = 60


def forget(request) -> None:
    """Check again on the next request (after accepting or publishing)."""
    request.session.pop(SESSION_KEY, None)


def pending_version(request):
    """(notice id, version) the member must accept first, or None."""
    membership = request.membership
    who = [membership.organisation_id, membership.user_id]
    now = time.time()
    cached = request.session.get(SESSION_KEY)
    if cached and cached.get("who") == who and cached.get("until", 0) > now:
        return None
    pending = selectors.pending_notice(membership)
    if pending is not None:
        return pending.pk, pending.version
    until = now + RECHECK_SECONDS
    upcoming = selectors.next_change_at(membership.organisation_id)
    if upcoming is not None:
        until = min(until, upcoming.timestamp())
    request.session[SESSION_KEY] = {"who": who, "until": until}
    return None


def _exempt_prefixes() -> tuple[str, ...]:
    return (
        settings.STATIC_URL,
        "/privacy/",  # the public notice pages: the gate must never hide the notice itself
        reverse("privacy_accept"),
        "/api/v1/privacy/notice/",  # reading and accepting the notice through the API
        reverse("logout"),
        reverse("login"),
        reverse("switch_organisation"),
        reverse("healthz"),
    )


class NoticeAcceptanceMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self._exempt = None

    def __call__(self, request):
        if getattr(request, "membership", None) is None:
            return self.get_response(request)
        path = request.path
        is_api = path.startswith("/api/")
        if is_api and request.headers.get("Authorization", "").lower().startswith("bearer "):
            return self.get_response(request)
        if self._exempt is None:
            self._exempt = _exempt_prefixes()
        if path.startswith(self._exempt):
            return self.get_response(request)
        pending = pending_version(request)
        if pending is None:
            return self.get_response(request)
        _notice_id, version = pending
        accept_url = reverse("privacy_accept")
        if is_api:
            message = _("accept version %(version)s of the privacy notice first, at %(url)s") % {
                "version": version,
                "url": accept_url,
            }
            return JsonResponse(
                {
                    "detail": message,
                    "errors": [{"field": "privacy_notice", "message": message}],
                    "notice_version": version,
                },
                status=403,
            )
        # Back to the page asked for; a form post would be lost anyway, so to its page's start.
        back = request.get_full_path() if request.method == "GET" else reverse("home")
        target = f"{accept_url}?{urlencode({'next': back})}"
        if request.headers.get("HX-Request"):
            # htmx would swap the acceptance page into a fragment; have it load the page instead.
            response = HttpResponse(status=204)
            response["HX-Redirect"] = target
            return response
        return redirect(target)
