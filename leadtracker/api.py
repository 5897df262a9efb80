"""The HTTP API at /api/v1/: one NinjaAPI built from each app's router, one error shape.

Every error answers ``{"detail": "...", "errors": [{"field": "...", "message": "..."}]}``.
"""

import json
import logging
import math

from django.conf import settings
from django.db import DataError
from django.http import Http404
from django.http.request import RawPostDataException
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, Throttled, ValidationError

from leadtracker.accounts.api import router as accounts_router
from leadtracker.accounts.auth import BearerAuth, SessionAuth
from leadtracker.attendance.api import router as attendance_router
from leadtracker.calls.api import router as calls_router
from leadtracker.leads.api import router as leads_router
from leadtracker.leads.capture import router as capture_router
from leadtracker.lib.errors import ActionError
from leadtracker.lib.throttling import AnonymousThrottle, UserThrottle
from leadtracker.privacy.api import router as privacy_router

logger = logging.getLogger(__name__)

api = NinjaAPI(
    title="LeadTracker API",
    version="1",
    description="Authenticate with `Authorization: Bearer <token>` (personal or device token), "
    "or with the web app's session cookie plus the CSRF token.",
    urls_namespace="api",
    docs_url="/docs",
    auth=[BearerAuth(), SessionAuth()],
    throttle=[
        AnonymousThrottle(settings.API_RATE_ANONYMOUS),
        UserThrottle(settings.API_RATE_AUTHENTICATED),
    ],
)
api.add_router("/", accounts_router)
api.add_router("/", attendance_router)
api.add_router("/", leads_router)
api.add_router("/", capture_router)
api.add_router("/", calls_router)
api.add_router("/", privacy_router)


@api.get("/health", auth=None, tags=["server"], summary="Liveness check; needs no credentials")
def health(request):
    return {"status": "ok", "version": api.version}


def error_body(detail: str, errors: list[dict] | None = None) -> dict:
    return {"detail": detail, "errors": errors or []}


def _field_of(loc) -> str:
    # ninja locations look like ("body", "payload", "calls", 3, "started_at"); the person
    # needs "calls.3.started_at", not our parameter names.
    parts = [str(p) for p in loc]
    if parts and parts[0] in {"body", "query", "path", "header", "cookie", "form"}:
        parts = parts[1:]
        if parts and parts[0] == "payload":
            parts = parts[1:]
    return ".".join(parts)


@api.exception_handler(ValidationError)
def on_validation_error(request, exc):
    errors = []
    for err in exc.errors:
        field = _field_of(err.get("loc", ()))
        message = err.get("msg", "invalid")
        if err.get("type") == "extra_forbidden":
            message = "unknown field; it is not accepted"
        errors.append({"field": field, "message": message})
    detail = "; ".join(f"{e['field'] or 'body'}: {e['message']}" for e in errors[:5]) or "invalid input"
    return api.create_response(request, error_body(detail, errors), status=422)


@api.exception_handler(ActionError)
def on_action_error(request, exc):
    return api.create_response(request, error_body(exc.message, [exc.as_error()]), status=exc.status_code)


@api.exception_handler(AuthenticationError)
def on_auth_error(request, exc):
    return api.create_response(
        request, error_body("authentication required: a valid bearer token or session"), status=401
    )


@api.exception_handler(HttpError)
def on_http_error(request, exc):
    if isinstance(exc, Throttled):
        # Every limit answers alike: 429, how long to wait in words and in Retry-After.
        wait = max(1, math.ceil(exc.wait or 60))
        response = api.create_response(
            request, error_body(f"too many requests: try again in {wait} seconds"), status=429
        )
        response["Retry-After"] = str(wait)
        return response
    return api.create_response(request, error_body(str(exc)), status=exc.status_code)


@api.exception_handler(Http404)
def on_not_found(request, exc):
    return api.create_response(request, error_body("not found"), status=404)


LARGEST_INTEGER = 2**63 - 1  # the database's bigint


def _too_large(value, path=""):
    """Where in a request's input an integer lies beyond what the database can hold."""
    if isinstance(value, bool):
        return
    if isinstance(value, int) and abs(value) > LARGEST_INTEGER:
        yield path
    elif isinstance(value, str) and value.lstrip("-").isdigit() and abs(int(value)) > LARGEST_INTEGER:
        yield path
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _too_large(item, f"{path}.{key}" if path else str(key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _too_large(item, f"{path}.{index}" if path else str(index))


@api.exception_handler(OverflowError)
@api.exception_handler(DataError)
def on_number_out_of_range(request, exc):
    # The schemas take ids and counts as plain integers; one beyond 64 bits reaches the
    # database driver and fails there (SQLite: OverflowError, PostgreSQL: out of range).
    # That is bad input: name the field, as for any other.
    try:
        body = json.loads(request.body or b"null")
    except (ValueError, RawPostDataException):  # not JSON, or an upload already read
        body = None
    found = [
        *_too_large(dict(request.resolver_match.kwargs) if request.resolver_match else {}),
        *_too_large({k: v for k, v in request.GET.items()}),
        *_too_large(body),
    ]
    if not found and isinstance(exc, DataError):
        # Other values the schemas let through but PostgreSQL cannot store (a UTC offset past
        # ±15:59, a NUL character in text): bad input too, named by the database's own words.
        message = str(exc).splitlines()[0] if str(exc) else "a value the database cannot store"
        return api.create_response(
            request, error_body(f"invalid value: {message}", [{"field": "", "message": message}]), status=422
        )
    if not found:
        return on_unexpected(request, exc)
    errors = [{"field": field, "message": f"a number of at most {LARGEST_INTEGER}"} for field in found]
    return api.create_response(request, error_body(f"{found[0]}: number too large", errors), status=422)


@api.exception_handler(Exception)
def on_unexpected(request, exc):
    logger.exception("API error on %s %s", request.method, request.path)
    return api.create_response(request, error_body("internal error; it has been logged"), status=500)
