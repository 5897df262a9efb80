"""Throttling in fixed windows, one counter for all of it: a row of RateCounter per key and
window, bumped by one upsert — shared by every gunicorn worker and the worker, no cache server
to run. Two ways to use it:

- ``Limit``: attempts that fail (logins, API credentials, password reset e-mails, pairing and
  two-factor codes), counted per account and per client address; ``blocked`` before the
  attempt, ``hit`` when it fails.
- the django-ninja throttles: every API request, counted per address, user, device or capture
  key, refused with 429 and Retry-After past the rate. The general rates (per user, per
  address) guard capacity, not secrets: each process counts them in memory and adds its count
  to the shared row every 1/50 of the rate, so a read is no write (``_Batched``). Phones'
  syncs and capture keys, like the failed attempts, count in the shared row every time.

Limits and rates are names of settings, read at call time, so configuration and tests can
change them. Old windows are purged by a periodic job (tasks.purge_old_rate_counters)."""

import hashlib
import threading
import time
from dataclasses import dataclass

from django.conf import settings
from django.db import DatabaseError, connection
from ninja.throttling import BaseThrottle, SimpleRateThrottle

from leadtracker.accounts.models import RateCounter
from leadtracker.lib.http import client_ip

# --- the counter ------------------------------------------------------------------------------


def _key(scope: str, ident: str) -> str:
    # Hashed, so that the table holds no e-mail or IP addresses.
    return hashlib.sha256(f"{scope}:{ident}".encode()).hexdigest()[:40]


def _slot(duration: int, now: float | None = None) -> tuple[int, int]:
    """The window a moment falls in, and when that window ends (seconds since the epoch)."""
    window = int((time.time() if now is None else now) // duration)
    return window, (window + 1) * duration


def _bump(key: str, window: int, ends_at: int) -> int:
    """Count one more in the key's window; the count it reached."""
    q = connection.ops.quote_name  # "window" is a reserved word in PostgreSQL
    table = q(RateCounter._meta.db_table)
    slot = f"{q('key')}, {q('window')}"
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({slot}, hits, ends_at) VALUES (%s, %s, 1, %s) "  # noqa: S608
            f"ON CONFLICT ({slot}) DO UPDATE SET hits = {table}.hits + 1 RETURNING hits",
            [key, window, ends_at],
        )
        return cursor.fetchone()[0]


def _bump_row(key: str, window: int, ends_at: int, by: int) -> tuple[int, int]:
    """Like _bump, adding ``by``; the row's id and the count it reached."""
    q = connection.ops.quote_name
    table = q(RateCounter._meta.db_table)
    slot = f"{q('key')}, {q('window')}"
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({slot}, hits, ends_at) VALUES (%s, %s, %s, %s) "  # noqa: S608
            f"ON CONFLICT ({slot}) DO UPDATE SET hits = {table}.hits + %s RETURNING id, hits",
            [key, window, by, ends_at, by],
        )
        return cursor.fetchone()


def _add(row: int, by: int) -> int | None:
    """Add to a row known by its id; the count it reached, or None when the row is gone."""
    table = connection.ops.quote_name(RateCounter._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET hits = hits + %s WHERE id = %s RETURNING hits",  # noqa: S608
            [by, row],
        )
        found = cursor.fetchone()
    return found[0] if found else None


def _counts(keys: list[str], window: int) -> dict[str, int]:
    return dict(RateCounter.objects.filter(key__in=keys, window=window).values_list("key", "hits"))


# --- failed attempts, per account and per address ---------------------------------------------


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
    keys = []
    if account and limit.per_account:
        keys.append(
            (_key(f"{limit.name}:acct", account.strip().lower()), getattr(settings, limit.per_account))
        )
    if ip:
        keys.append((_key(f"{limit.name}:ip", ip), getattr(settings, limit.per_address)))
    return keys


def _window(limit: Limit) -> tuple[int, int]:
    return _slot(getattr(settings, limit.window))


def blocked(limit: Limit, *, account: str | None = None, ip: str | None = None) -> bool:
    keys = _keys(limit, account, ip)
    if not keys:
        return False
    counts = _counts([key for key, _allowed in keys], _window(limit)[0])
    return any(counts.get(key, 0) >= allowed for key, allowed in keys)


def count(limit: Limit, *, account: str | None = None, ip: str | None = None) -> int:
    keys = [key for key, _allowed in _keys(limit, account, ip)]
    return max(_counts(keys, _window(limit)[0]).values(), default=0) if keys else 0


def retry_after(limit: Limit) -> int:
    """Seconds until the current window ends (the Retry-After of a 429)."""
    window = getattr(settings, limit.window)
    return max(1, int(window - time.time() % window) + 1)


def hit(limit: Limit, *, account: str | None = None, ip: str | None = None) -> None:
    window, ends_at = _window(limit)
    for key, _allowed in _keys(limit, account, ip):
        _bump(key, window, ends_at)


def clear_account(limit: Limit, account: str) -> None:
    keys = [key for key, _allowed in _keys(limit, account, None)]
    RateCounter.objects.filter(key__in=keys).delete()


# Login, by name, for readability at the call sites.
def login_blocked(email: str, ip: str | None) -> bool:
    return blocked(LOGIN, account=email, ip=ip)


def record_login_failure(email: str, ip: str | None) -> None:
    hit(LOGIN, account=email, ip=ip)


def clear_account_failures(email: str) -> None:
    clear_account(LOGIN, email)


# --- API requests (django-ninja throttles) ----------------------------------------------------


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
        self._now = time.time()
        window, self._window_end = _slot(self.duration, self._now)
        return self.count(_key(self.scope, ident), window, self._window_end) <= self.num_requests

    def count(self, key: str, window: int, ends_at: int) -> int:
        """This request counted: the window's count with it, read back from the shared row."""
        return _bump(key, window, ends_at)

    def wait(self):
        return max(1.0, self._window_end - self._now)


# --- counted in this process first ---------------------------------------------------------

# A process adds what it counted to the shared row every 1/SHARE of the rate (and whenever its
# estimate passes the rate), so with W processes a client gets at most W × rate/SHARE more
# requests than the rate before all of them refuse: 1,200 a minute lets 5 workers through
# about 1,320, for one write in 24 requests instead of one in each.
SHARE = 50
# Past this many keys in one process (a flood from many addresses), new keys count in the
# shared row only, so memory stays bounded.
MAX_TALLIES = 10_000


@dataclass
class _Tally:
    row: int  # the RateCounter row's id
    shared: int  # its count when this process last wrote it
    ends_at: int  # when its window ends
    pending: int = 0  # counted here since


_tallies: dict[tuple[str, int], _Tally] = {}
_lock = threading.Lock()
_next_sweep = [0.0]


def forget() -> None:
    """Drop what this process counted (between tests: their rows go with their transaction)."""
    with _lock:
        _tallies.clear()


def _remember(key: str, window: int, ends_at: int, row: int, hits: int) -> None:
    now = time.time()
    with _lock:
        if now >= _next_sweep[0]:
            # Windows that ended are over for good (their rows are purged later).
            for ended in [k for k, tally in _tallies.items() if tally.ends_at <= now]:
                del _tallies[ended]
            _next_sweep[0] = now + 60
        if len(_tallies) < MAX_TALLIES:
            _tallies[(key, window)] = _Tally(row=row, shared=hits, ends_at=ends_at)


def _count_batched(key: str, window: int, ends_at: int, rate: int) -> int:
    """The key's count in its window, this request included, estimated from this process's own
    count when it can be, else read back from the shared row as it is written."""
    every = max(1, rate // SHARE)
    with _lock:
        tally = _tallies.get((key, window))
        if tally is not None:
            tally.pending += 1
            if tally.pending < every and tally.shared + tally.pending <= rate:
                return tally.shared + tally.pending
            total = _add(tally.row, tally.pending)
            if total is not None:
                tally.shared, tally.pending = total, 0
                return total
            del _tallies[(key, window)]  # its row was purged: count afresh
    row, total = _bump_row(key, window, ends_at, 1)
    # Only a committed row is remembered: inside a transaction (a test's) it may yet roll back,
    # and the count is asked of the shared row each time instead.
    if not connection.in_atomic_block:
        _remember(key, window, ends_at, row, total)
    return total


class _Batched(_WindowThrottle):
    def count(self, key: str, window: int, ends_at: int) -> int:
        return _count_batched(key, window, ends_at, self.num_requests)


class AnonymousThrottle(_Batched):
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


class UserThrottle(_Batched):
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
