"""HTTP to the LeadTracker server (standard library only), with the protocol's retry rule:
exponential backoff with full jitter on network errors and 5xx, never a 4xx retried as is."""

from __future__ import annotations

import email.utils
import http.client
import json
import random
import ssl
import time
import urllib.error
import urllib.request

from leadtracker_agent import __version__


class ClientError(Exception):
    pass


class NetworkError(ClientError):
    """No usable answer: refused, reset, timed out, a 5xx — after every retry."""


class HttpError(ClientError):
    """The server answered 4xx (or a redirect): retrying the same request will not help."""

    def __init__(
        self,
        status: int,
        detail: str,
        body=None,
        *,
        method: str = "",
        path: str = "",
        retry_after: float | None = None,
    ):
        super().__init__(f"{method} {path} answered {status}: {detail}".strip())
        self.status = status
        self.detail = detail
        self.body = body
        # Seconds the server asked us to wait (Retry-After, typically with a 429).
        self.retry_after = retry_after


class AuthError(HttpError):
    """401: the device token is not (or no longer) valid — the device was revoked."""


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    # urllib would follow a redirect of a POST as a GET without its body; a redirect here means
    # the configured server URL is wrong (typically http:// to https://), so say that instead.
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


def _detail(body, fallback: str) -> str:
    if isinstance(body, dict):
        detail = body.get("detail")
        if isinstance(detail, str) and detail:
            return detail
        if isinstance(detail, list):  # a framework default error shape
            return "; ".join(str(d.get("msg", d)) if isinstance(d, dict) else str(d) for d in detail[:5])
    return fallback


class Client:
    def __init__(
        self,
        server: str,
        token: str | None = None,
        *,
        timeout: float = 30,
        retries: int = 4,
        backoff: float = 1.0,
        backoff_max: float = 30.0,
        ca_file: str | None = None,
        os_name: str = "",
        progress=None,
        sleep=time.sleep,
        rng: random.Random | None = None,
    ):
        self.server = server.rstrip("/")
        self.token = token
        self.timeout = timeout
        self.retries = max(0, retries)
        self.backoff = backoff
        self.backoff_max = max(backoff, backoff_max)
        self.os_name = os_name
        self.progress = progress or (lambda message: None)
        self.sleep = sleep
        self.rng = rng or random.Random()
        context = ssl.create_default_context(cafile=ca_file) if ca_file else None
        handlers = [_NoRedirect()]
        if context is not None:
            handlers.append(urllib.request.HTTPSHandler(context=context))
        self._opener = urllib.request.build_opener(*handlers)
        # Server clock minus ours, from the Date header of the last answer (seconds).
        self.clock_offset: float | None = None
        self.requests = 0

    def url(self, path: str) -> str:
        return f"{self.server}/api/v1{path}"

    def call(self, method: str, path: str, body=None, *, retry: bool = True):
        """Send once, or with retries (network errors and 5xx only). Returns (status, JSON)."""
        data = None
        if body is not None:
            data = body if isinstance(body, bytes) else json.dumps(body).encode()
        attempts = 1 + (self.retries if retry else 0)
        for attempt in range(attempts):
            try:
                return self._once(method, path, data)
            except _Retryable as exc:
                if attempt + 1 >= attempts:
                    raise NetworkError(f"{method} {path}: {exc} (after {attempts} attempt(s))") from None
                # Full jitter: a random wait up to the exponential ceiling, so phones that lost
                # the network together do not come back together.
                ceiling = min(self.backoff_max, self.backoff * 2**attempt)
                delay = self.rng.uniform(0, ceiling)
                if exc.retry_after is not None:
                    delay = max(delay, min(exc.retry_after, self.backoff_max))
                self.progress(f"retry: {method} {path}: {exc}; waiting {delay:.2f} s")
                self.sleep(delay)
        raise AssertionError("unreachable")

    def _once(self, method: str, path: str, data: bytes | None):
        headers = {
            "Accept": "application/json",
            "User-Agent": f"leadtracker-agent/{__version__}",
            # The same value pairing sent as app_version, so the server does not see it change.
            "X-App-Version": __version__,
        }
        if self.os_name:
            headers["X-OS"] = self.os_name
        if data is not None:
            headers["Content-Type"] = "application/json"
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        # The URL is the configured server (http or https, checked when pairing) plus our path.
        request = urllib.request.Request(self.url(path), data=data, headers=headers, method=method)  # noqa: S310
        self.requests += 1
        sent_at = time.time()
        try:
            with self._opener.open(request, timeout=self.timeout) as response:
                raw = response.read()
                status = response.status
                headers = response.headers
        except urllib.error.HTTPError as exc:
            status = exc.code
            try:
                raw = exc.read()
            except (OSError, http.client.HTTPException):
                raw = b""
            headers = exc.headers
        except (OSError, http.client.HTTPException, ValueError) as exc:
            # Refused, reset, DNS, TLS, timed out, a connection closed halfway: all retryable.
            raise _Retryable(_describe(exc)) from None
        self._clock(headers, sent_at)
        try:
            body = json.loads(raw) if raw.strip() else None
        except ValueError:
            body = None
            if status < 300:
                # A 2xx whose body is cut off is not an answer: resend (the server is idempotent).
                raise _Retryable(f"answered {status} with a body that is not JSON") from None
        if status >= 500:
            raise _Retryable(f"server error {status}: {_detail(body, 'no detail')}", _retry_after(headers))
        if 300 <= status < 400:
            location = headers.get("Location", "?") if headers else "?"
            raise HttpError(
                status,
                f"the server redirects to {location}; pair again with that address (--server)",
                body,
                method=method,
                path=path,
            )
        if status == 401:
            raise AuthError(
                status,
                _detail(body, "the device token was refused")
                + " — the device may have been revoked: pair it again (leadtracker-agent pair)",
                body,
                method=method,
                path=path,
            )
        if status >= 400:
            raise HttpError(
                status,
                _detail(body, "no detail"),
                body,
                method=method,
                path=path,
                retry_after=_retry_after(headers),
            )
        return status, body

    def _clock(self, headers, sent_at: float) -> None:
        value = headers.get("Date") if headers else None
        if not value:
            return
        try:
            server = email.utils.parsedate_to_datetime(value).timestamp()
        except (TypeError, ValueError):
            return
        # The header has whole seconds and was stamped between sending and now.
        self.clock_offset = server + 0.5 - (sent_at + time.time()) / 2


class _Retryable(Exception):
    def __init__(self, message: str, retry_after: float | None = None):
        super().__init__(message)
        self.retry_after = retry_after


def _retry_after(headers) -> float | None:
    """Retry-After as seconds from now: a number of seconds or an HTTP date (RFC 9110)."""
    value = (headers.get("Retry-After") if headers else None) or ""
    value = value.strip()
    if value.isdigit():
        return float(value)
    if value:
        try:
            return max(0.0, email.utils.parsedate_to_datetime(value).timestamp() - time.time())
        except (TypeError, ValueError):
            return None
    return None


def _describe(exc: BaseException) -> str:
    if isinstance(exc, urllib.error.URLError) and exc.reason is not None:
        exc = exc.reason if isinstance(exc.reason, BaseException) else exc
        if not isinstance(exc, BaseException):
            return str(exc)
    if isinstance(exc, TimeoutError):
        return "timed out"
    if isinstance(exc, ConnectionRefusedError):
        return "connection refused"
    if isinstance(exc, ConnectionResetError):
        return "connection reset"
    if isinstance(exc, http.client.RemoteDisconnected):
        return "the server closed the connection without answering"
    if isinstance(exc, ssl.SSLError):
        return f"TLS: {exc.reason or exc}"
    return str(exc) or type(exc).__name__
