"""Counting failures in a shared cache, for login throttling per account and per address."""

import time

from django.conf import settings
from django.core.cache import cache

from leadtracker.accounts.models import hash_secret


def _keys(email: str, ip: str | None) -> list[tuple[str, int]]:
    # Keys are hashed so that the cache table holds no e-mail addresses.
    keys = [(f"login-fail:acct:{hash_secret(email.strip().lower())}", settings.LOGIN_THROTTLE_PER_ACCOUNT)]
    if ip:
        keys.append((f"login-fail:ip:{hash_secret(ip)}", settings.LOGIN_THROTTLE_PER_ADDRESS))
    return keys


def _window_key(key: str) -> str:
    window = settings.LOGIN_THROTTLE_WINDOW
    return f"{key}:{int(time.time() // window)}"


def login_blocked(email: str, ip: str | None) -> bool:
    """True when the account or the address has used up its failed attempts in this window."""
    for key, limit in _keys(email, ip):
        if (cache.get(_window_key(key)) or 0) >= limit:
            return True
    return False


def record_login_failure(email: str, ip: str | None) -> None:
    for key, _limit in _keys(email, ip):
        wkey = _window_key(key)
        if not cache.add(wkey, 1, timeout=settings.LOGIN_THROTTLE_WINDOW):
            try:
                cache.incr(wkey)
            except ValueError:  # expired between add and incr
                cache.set(wkey, 1, timeout=settings.LOGIN_THROTTLE_WINDOW)


def clear_account_failures(email: str) -> None:
    key = _keys(email, None)[0][0]
    cache.delete(_window_key(key))
