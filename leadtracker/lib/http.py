import functools
import ipaddress

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

Address = ipaddress.IPv4Address | ipaddress.IPv6Address


@functools.lru_cache(maxsize=8)
def _proxies(entries: tuple[str, ...]) -> tuple[bool, tuple]:
    """FORWARDED_ALLOW_IPS parsed: (any peer is a proxy, the listed networks)."""
    networks = []
    for entry in entries:
        if entry == "*":
            continue
        try:
            networks.append(ipaddress.ip_network(entry, strict=False))
        except ValueError:
            raise ImproperlyConfigured(
                f"FORWARDED_ALLOW_IPS: {entry!r} is not an IP address or network (CIDR)"
            ) from None
    return "*" in entries, tuple(networks)


def _address(value: str) -> Address | None:
    value = value.strip()
    try:
        return ipaddress.ip_address(value)
    except ValueError:
        pass
    # Some proxies write a port: "203.0.113.5:4711", "[2001:db8::1]:4711".
    host = value[1 : value.find("]")] if value.startswith("[") else value.rpartition(":")[0]
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        return None


def _listed(address: Address, networks) -> bool:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    return any(address in network for network in networks)


def client_ip(request) -> str | None:
    """The caller's address, for every per-address limit and the audit log.

    The socket's address (REMOTE_ADDR), unless that is one of our proxies (FORWARDED_ALLOW_IPS):
    then X-Forwarded-For, read from the right, and the first address that is not itself a proxy
    of ours. Entries to its left were written by the client and prove nothing — a client that
    sends ``X-Forwarded-For: 1.2.3.4`` through the proxy is still known by its own address, and
    one that reaches the server directly cannot name any address but its own.
    """
    peer = request.META.get("REMOTE_ADDR") or ""
    if not settings.USE_X_FORWARDED_FOR:
        return peer or None
    any_peer, networks = _proxies(tuple(settings.FORWARDED_ALLOW_IPS))
    peer_address = _address(peer) if peer else None
    # No address at all is a UNIX socket: only processes on this machine can reach it, and
    # gunicorn trusts such connections alike.
    trusted = any_peer or not peer or (peer_address is not None and _listed(peer_address, networks))
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if not trusted or not forwarded:
        return peer or None
    # Several headers arrive joined with commas, in order: one list.
    nearest = peer or None  # the hop that handed us what is left of the list
    for entry in reversed(forwarded.split(",")):
        address = _address(entry)
        if address is None:
            # Not an address: whatever stands left of it is unreadable, so the hop that
            # passed it on is the nearest we can name.
            return nearest
        if not _listed(address, networks):
            return str(address)
        nearest = str(address)
    # Every hop is a proxy of ours (a check from the proxy's own machine): the farthest one.
    return nearest


def user_agent(request) -> str:
    return request.META.get("HTTP_USER_AGENT", "")[:300]
