"""Which push endpoints the server will send to. A subscription's endpoint comes from the
browser, that is from whoever signed in: without this guard the worker could be made to POST
to the organisation's own network (SSRF). Production sends to https on public addresses only,
checked when subscribing and again before each send (a name may resolve elsewhere later);
redirects are never followed (sender.py). Tests may allow a loopback http:// push service with
the PUSH_ALLOW_LOOPBACK setting, which no environment variable sets.
"""

import ipaddress
import socket
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.translation import gettext as _


class BadEndpoint(ValueError):
    pass


class Unresolvable(BadEndpoint):
    """The name does not resolve now: refused when subscribing, but at send time a passing DNS
    failure, to retry (not a reason to forget the browser)."""


def _addresses(host: str, port: int) -> set[str]:
    try:
        return {info[4][0] for info in socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP)}
    except (socket.gaierror, UnicodeError) as exc:
        raise Unresolvable(_("endpoint: its host name does not resolve")) from exc


def _loopback_allowed(parts) -> bool:
    if not getattr(settings, "PUSH_ALLOW_LOOPBACK", False):
        return False
    return parts.hostname in ("127.0.0.1", "::1", "localhost")


def check(endpoint: str, resolve: bool = True) -> str:
    """The endpoint if the server may send to it, else BadEndpoint saying why."""
    if not isinstance(endpoint, str) or len(endpoint) > 1000:
        raise BadEndpoint(_("endpoint: not a push service address"))
    try:
        parts = urlsplit(endpoint)
        port = parts.port
    except ValueError as exc:
        raise BadEndpoint(_("endpoint: not a push service address")) from exc
    if parts.username or parts.password or not parts.hostname:
        raise BadEndpoint(_("endpoint: not a push service address"))
    if _loopback_allowed(parts) and parts.scheme in ("http", "https"):
        return endpoint
    if parts.scheme != "https":
        raise BadEndpoint(_("endpoint: a push service is reached over https only"))
    if not resolve:
        return endpoint
    for address in _addresses(parts.hostname, port or 443):
        if not ipaddress.ip_address(address.split("%")[0]).is_global:
            raise BadEndpoint(_("endpoint: a push service is on the public internet, not a private address"))
    return endpoint
