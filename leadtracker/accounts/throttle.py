"""Counting attempts in the shared cache: failed logins, failed API credentials, password
reset e-mails — per account and per client address, in fixed windows."""

import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache

from leadtracker.accounts.models import hash_secret


@dataclass(frozen=True)
class Limit:
    name: str
    per_account: str | None  # names of settings, read at call time
    per_address: str
    window: str


LOGIN = Limit(
    "login-fail", "LOGIN_THROTTLE_PER_ACCOUNT", "LOGIN_THROTTLE_PER_ADDRESS", "LOGIN_THROTTLE_WINDOW"
)
API_AUTH = Limit("api-auth-fail", None, "API_AUTH_FAILURES_PER_ADDRESS", "LOGIN_THROTTLE_WINDOW")
PASSWORD_RESET = Limit(
    "reset", "PASSWORD_RESET_PER_ACCOUNT", "PASSWORD_RESET_PER_ADDRESS", "PASSWORD_RESET_WINDOW"
)
# Wrong pairing codes per address: a code is short, so guessing must stay slow.
PAIRING = Limit("pairing-fail", None, "PAIRING_FAILURES_PER_ADDRESS", "PAIRING_WINDOW")


def _keys(limit: Limit, account: str | None, ip: str | None) -> list[tuple[str, int]]:
    window = getattr(settings, limit.window)
    slot = int(time.time() // window)
    keys = []
    # Hashed, so that the cache table holds no e-mail or IP addresses.
    if account and limit.per_account:
        keys.append(
            (
                f"{limit.name}:acct:{hash_secret(account.strip().lower())}:{slot}",
                getattr(settings, limit.per_account),
            )
        )
    if ip:
        keys.append((f"{limit.name}:ip:{hash_secret(ip)}:{slot}", getattr(settings, limit.per_address)))
    return keys


def blocked(limit: Limit, *, account: str | None = None, ip: str | None = None) -> bool:
    return any((cache.get(key) or 0) >= allowed for key, allowed in _keys(limit, account, ip))


def count(limit: Limit, *, account: str | None = None, ip: str | None = None) -> int:
    return max((cache.get(key) or 0 for key, _allowed in _keys(limit, account, ip)), default=0)


def retry_after(limit: Limit) -> int:
    """Seconds until the current window ends (the Retry-After of a 429)."""
    window = getattr(settings, limit.window)
    return max(1, int(window - time.time() % window) + 1)


def hit(limit: Limit, *, account: str | None = None, ip: str | None = None) -> None:
    timeout = getattr(settings, limit.window)
    for key, _allowed in _keys(limit, account, ip):
        if not cache.add(key, 1, timeout=timeout):
            try:
                cache.incr(key)
            except ValueError:  # expired between add and incr
                cache.set(key, 1, timeout=timeout)


def clear_account(limit: Limit, account: str) -> None:
    for key, _allowed in _keys(limit, account, None):
        cache.delete(key)


# Login, by name, for readability at the call sites.
def login_blocked(email: str, ip: str | None) -> bool:
    return blocked(LOGIN, account=email, ip=ip)


def record_login_failure(email: str, ip: str | None) -> None:
    hit(LOGIN, account=email, ip=ip)


def clear_account_failures(email: str) -> None:
    clear_account(LOGIN, email)
