"""Headers that keep the browser from doing more than the app needs.

``Permissions-Policy`` on every response: no page may use the camera, the microphone, payment,
USB and the like; the location only where a person punches in or out (views marked with
``uses_geolocation``), and only for our own origin.

``Cache-Control: no-store`` on every response a view makes. The rule is "whatever Django
answered", not a list of personal pages: pages, JSON, CSV, XLSX and zip downloads all hold
names and numbers, and a browser's or a shared proxy's cache must keep none of them after the
person signs out. Static files are answered by WhiteNoise before this middleware runs (it sits
after WhiteNoise in MIDDLEWARE), so they keep their year-long caching.
"""

import functools

PERMISSIONS_POLICY = "Permissions-Policy"
# Features a CRM page never needs. Only names Chromium and Firefox know: an unknown one costs a
# console error on every page.
_NEVER = (
    "accelerometer",
    "browsing-topics",
    "camera",
    "display-capture",
    "gyroscope",
    "hid",
    "magnetometer",
    "microphone",
    "midi",
    "payment",
    "serial",
    "usb",
    "xr-spatial-tracking",
)


def permissions_policy(*, geolocation: bool) -> str:
    features = {name: "()" for name in _NEVER}
    features["geolocation"] = "(self)" if geolocation else "()"
    return ", ".join(f"{name}={allow}" for name, allow in sorted(features.items()))


POLICY = permissions_policy(geolocation=False)
POLICY_WITH_GEOLOCATION = permissions_policy(geolocation=True)


def uses_geolocation(view):
    """For the pages with the punch button, which asks for the location when the organisation
    records it (static/js/punch.js)."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response[PERMISSIONS_POLICY] = POLICY_WITH_GEOLOCATION
        return response

    return wrapped


class PermissionsPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        # A view marked uses_geolocation has set the one exception already.
        if PERMISSIONS_POLICY not in response:
            response[PERMISSIONS_POLICY] = POLICY
        return response


class NoStoreMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        # A view's own Cache-Control stays only if it already forbids storing (never_cache).
        if "no-store" not in response.get("Cache-Control", ""):
            response["Cache-Control"] = "no-store"
        return response
