"""The HTTP API at /api/v1/: one NinjaAPI built from each app's router, one error shape.

Every error answers ``{"detail": "...", "errors": [{"field": "...", "message": "..."}]}``; the
messages are in the caller's language, and a refusal a program acts on carries a ``code`` too
(``"in_the_future"``: a time past the window, which the device agent resends in the server's time).
"""

import datetime as dt
import functools
import json
import logging
import math
import re
import typing

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.db import DataError
from django.http import Http404
from django.http.multipartparser import MultiPartParserError
from django.http.request import RawPostDataException
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop, ngettext
from ninja import NinjaAPI, Schema, Status
from ninja.errors import AuthenticationError, HttpError, Throttled, ValidationError
from ninja.parser import Parser
from pydantic import BaseModel, Field

from leadtracker.accounts.api import router as accounts_router
from leadtracker.accounts.auth import BearerAuth, SessionAuth
from leadtracker.accounts.throttle import AnonymousThrottle, HealthThrottle, UserThrottle
from leadtracker.attendance.api import router as attendance_router
from leadtracker.automation.api import router as automation_router
from leadtracker.calls.api import router as calls_router
from leadtracker.calls.phone_setup import api as phone_setup_api
from leadtracker.integrations.api import router as integrations_router
from leadtracker.leads.api import consent as lead_consent_api
from leadtracker.leads.api import follow_ups as follow_ups_api
from leadtracker.leads.api import imports as imports_api
from leadtracker.leads.api import leads as leads_api
from leadtracker.leads.api import settings as lead_settings_api
from leadtracker.leads.api import trash as trash_api
from leadtracker.leads.capture import router as capture_router
from leadtracker.leads.fields import api as fields_api
from leadtracker.lib import database, json_body
from leadtracker.lib.errors import ActionError
from leadtracker.privacy.api import router as privacy_router

logger = logging.getLogger(__name__)


class JsonParser(Parser):
    """ninja's parser reads any body as JSON whatever its type, and answers 400 for one that is
    not; a multipart body whose form fields the CSRF check had read was a 500. Here a body of
    another type is refused (415) before it is read, and bad JSON is named (lib/json_body.py)."""

    def parse_body(self, request):
        # ninja reads each field of a multipart body that mixes files and JSON through a stand-in
        # request with no content type: that one is JSON by construction.
        if request.content_type is not None and not json_body.is_json(request.content_type):
            raise json_body.unsupported(request.content_type)
        return json_body.loads(request.body)


api = NinjaAPI(
    title="LeadTracker API",
    version="1",
    description="Authenticate with `Authorization: Bearer <token>` (personal or device token), "
    "or with the web app's session cookie plus the CSRF token. A write (POST, PUT, PATCH, DELETE) "
    "sent with an `Idempotency-Key` header (8 to 100 letters, digits, `-`, `_`, `:`, `.`) is done "
    "once per person and key: a resend within a day gets the first answer again, marked "
    "`Idempotent-Replayed: true`; one sent while the first is still being handled gets 409 with "
    "Retry-After.",
    urls_namespace="api",
    docs_url="/docs",
    parser=JsonParser(),
    auth=[BearerAuth(), SessionAuth()],
    throttle=[
        AnonymousThrottle(settings.API_RATE_ANONYMOUS),
        UserThrottle(settings.API_RATE_AUTHENTICATED),
    ],
)
api.add_router("/", accounts_router)
api.add_router("/", attendance_router)
# Before the leads: "/leads/trash" must not be read as a lead id.
api.add_router("/", trash_api.router)
api.add_router("/", leads_api.router)
api.add_router("/", lead_consent_api.router)
api.add_router("/", follow_ups_api.router)
api.add_router("/", lead_settings_api.router)
api.add_router("/", imports_api.router)
api.add_router("/", fields_api.router)
api.add_router("/", capture_router)
api.add_router("/", calls_router)
api.add_router("/", automation_router)
api.add_router("/", phone_setup_api.router)
api.add_router("/", integrations_router)
api.add_router("/", privacy_router)


class HealthOut(Schema):
    status: str = Field(..., description="ok, or error when the server cannot do its work")
    version: str
    database: str = Field(..., description='"ok", or "unreachable: …"')


@api.get(
    "/health",
    auth=None,
    # Counted per address like any anonymous request, but not refused for want of the
    # database that holds the count: this is the answer that says the database is gone.
    throttle=[HealthThrottle()],
    response={200: HealthOut, 503: HealthOut},
    tags=["server"],
    summary="Is the server up and its database reachable? Needs no credentials; 503 when not",
)
def health(request):
    error = database.unreachable()
    if error is not None:
        # The driver's words name hosts and paths: for the server's log, not for anyone who asks.
        logger.error("health: %s is unreachable: %s", database.describe(), database.one_line(error))
        return Status(
            503,
            {"status": "error", "version": api.version, "database": f"unreachable: {type(error).__name__}"},
        )
    return {"status": "ok", "version": api.version, "database": "ok"}


def error_body(detail: str, errors: list[dict] | None = None) -> dict:
    return {"detail": detail, "errors": errors or []}


# pydantic's words for the common mistakes, as pydantic writes them (their Hindi is ours); a
# message whose English differs (a newer pydantic, a validator's own words) is passed on as is.
PYDANTIC_MESSAGES = {
    "missing": gettext_noop("Field required"),
    # A validator's own words (lib/schema.py), already in the reader's language after the prefix.
    "value_error": gettext_noop("Value error, %(error)s"),
    "string_type": gettext_noop("Input should be a valid string"),
    "string_too_short": gettext_noop("String should have at least %(min_length)s characters"),
    "string_too_long": gettext_noop("String should have at most %(max_length)s characters"),
    "int_type": gettext_noop("Input should be a valid integer"),
    "int_parsing": gettext_noop("Input should be a valid integer, unable to parse string as an integer"),
    "int_from_float": gettext_noop("Input should be a valid integer, got a number with a fractional part"),
    "float_type": gettext_noop("Input should be a valid number"),
    "float_parsing": gettext_noop("Input should be a valid number, unable to parse string as a number"),
    "decimal_parsing": gettext_noop("Input should be a valid decimal"),
    "bool_type": gettext_noop("Input should be a valid boolean"),
    "bool_parsing": gettext_noop("Input should be a valid boolean, unable to interpret input"),
    "literal_error": gettext_noop("Input should be %(expected)s"),
    "enum": gettext_noop("Input should be %(expected)s"),
    "list_type": gettext_noop("Input should be a valid list"),
    "dict_type": gettext_noop("Input should be a valid dictionary"),
    "greater_than": gettext_noop("Input should be greater than %(gt)s"),
    "greater_than_equal": gettext_noop("Input should be greater than or equal to %(ge)s"),
    "less_than": gettext_noop("Input should be less than %(lt)s"),
    "less_than_equal": gettext_noop("Input should be less than or equal to %(le)s"),
    "datetime_type": gettext_noop("Input should be a valid datetime"),
    "date_type": gettext_noop("Input should be a valid date"),
}


def _message_of(err: dict) -> str:
    """A schema error's message in the reader's language."""
    english = err.get("msg", "invalid")
    if err.get("type") == "extra_forbidden":
        return _("unknown field; it is not accepted")
    template = PYDANTIC_MESSAGES.get(err.get("type", ""))
    values = {key: str(value) for key, value in (err.get("ctx") or {}).items()}
    try:
        if template is None or template % values != english:
            return english
        return _(template) % values
    except (KeyError, TypeError, ValueError):
        return english


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
        errors.append({"field": field, "message": _message_of(err)})
    detail = "; ".join(f"{e['field'] or 'body'}: {e['message']}" for e in errors[:5]) or _("invalid input")
    return api.create_response(request, error_body(detail, errors), status=422)


@api.exception_handler(ActionError)
def on_action_error(request, exc):
    return api.create_response(request, error_body(exc.message, [exc.as_error()]), status=exc.status_code)


@api.exception_handler(AuthenticationError)
def on_auth_error(request, exc):
    return api.create_response(
        request, error_body(_("authentication required: a valid bearer token or session")), status=401
    )


@api.exception_handler(json_body.BodyRefused)
def on_body_refused(request, exc):
    return api.create_response(
        request, error_body(exc.message, [{"field": exc.field, "message": exc.message}]), status=exc.status
    )


@api.exception_handler(RequestDataTooBig)
@api.exception_handler(TooManyFieldsSent)
@api.exception_handler(TooManyFilesSent)
def on_too_large(request, exc):
    # Django refuses to read a body past DATA_UPLOAD_MAX_MEMORY_SIZE (or a form with more fields
    # or files than allowed) wherever it is first read: ninja, a handler, a check before them.
    if isinstance(exc, RequestDataTooBig):
        return on_body_refused(request, json_body.too_large())
    message = _("the request is too large: %(reason)s") % {"reason": exc}
    return on_body_refused(request, json_body.BodyRefused(413, message))


@api.exception_handler(RawPostDataException)
def on_body_read_as_form(request, exc):
    # The CSRF check of a session read a multipart body as a form: no JSON operation takes one.
    return on_body_refused(request, json_body.unsupported(request.content_type))


@api.exception_handler(MultiPartParserError)
def on_unreadable_form(request, exc):
    message = _("the multipart/form-data body cannot be read (%(reason)s)") % {"reason": exc}
    return on_body_refused(request, json_body.BodyRefused(400, message))


@api.exception_handler(HttpError)
def on_http_error(request, exc):
    if isinstance(exc.__cause__, json_body.BodyRefused):
        # ninja answers every error of a body parser "400 Cannot parse request body"; ours
        # carry their own status and words.
        return on_body_refused(request, exc.__cause__)
    if isinstance(exc, Throttled):
        # Every limit answers alike: 429, how long to wait in words and in Retry-After.
        wait = max(1, math.ceil(exc.wait or 60))
        message = ngettext(
            "too many requests: try again in %(wait)s second",
            "too many requests: try again in %(wait)s seconds",
            wait,
        ) % {"wait": wait}
        response = api.create_response(request, error_body(message), status=429)
        response["Retry-After"] = str(wait)
        return response
    return api.create_response(request, error_body(str(exc)), status=exc.status_code)


@api.exception_handler(Http404)
def on_not_found(request, exc):
    return api.create_response(request, error_body(_("not found")), status=404)


# --- values the schemas let through but a database cannot keep ----------------------------

LARGEST_INTEGER = 2**63 - 1  # the database's bigint
# PostgreSQL keeps UTC offsets within ±15:59:59; Python and the schemas allow up to ±23:59, and
# SQLite stores whatever Django has turned into UTC. No zone on Earth is past ±14:00, so such an
# offset is a client's mistake: refused on both databases, so a request means the same on either.
OFFSET_LIMIT = dt.timedelta(hours=16)
NUL = "\x00"
NUL_MESSAGE = gettext_lazy("text cannot contain the NUL character (U+0000)")
OFFSET_MESSAGE = gettext_lazy("a UTC offset of at most ±15:59")
NUMBER_MESSAGE = gettext_lazy("a number of at most 9223372036854775807")
TIME_TEXT = re.compile(r"\d{4}-\d\d-\d\d[Tt ]\d\d:\d\d.*[+-]\d\d:?\d\d$")


class UnstorableInput(Exception):
    """A request holds values that pass the schemas but that a database cannot keep."""

    def __init__(self, errors: list[tuple[str, str]]):
        super().__init__(errors)
        self.errors = errors


def _field(path) -> str:
    # A key that itself holds a NUL is named with the character spelled out, to stay readable.
    return ".".join(str(part).replace(NUL, "\\u0000") for part in path)


def _beyond_bigint(text: str) -> bool:
    digits = text.removeprefix("-").lstrip("0")
    # isdecimal, not isdigit: int() refuses digits such as "²" that isdigit accepts. The length
    # test comes first because int() refuses texts of more than 4,300 digits.
    return digits.isdecimal() and (len(digits) > 19 or int(digits) > LARGEST_INTEGER)


def _offset_too_far(moment: dt.datetime) -> bool:
    offset = moment.utcoffset()
    return offset is not None and abs(offset) >= OFFSET_LIMIT


def _time_text_too_far(text: str) -> bool:
    if not TIME_TEXT.match(text):
        return False
    try:
        return _offset_too_far(dt.datetime.fromisoformat(text))
    except ValueError:
        return False


def _unstorable(value, path=()):
    """(field, message) for each value in a request's raw input (JSON, query, path) that a
    database cannot keep: a NUL character, an integer beyond 64 bits, a time whose UTC offset
    is past ±15:59."""
    if isinstance(value, bool):
        return
    if isinstance(value, int):
        if abs(value) > LARGEST_INTEGER:
            yield _field(path), NUMBER_MESSAGE
    elif isinstance(value, str):
        if NUL in value:
            yield _field(path), NUL_MESSAGE
        elif _beyond_bigint(value):
            yield _field(path), NUMBER_MESSAGE
        elif _time_text_too_far(value):
            yield _field(path), OFFSET_MESSAGE
    elif isinstance(value, dict):
        for key, item in value.items():
            if NUL in str(key):
                yield _field((*path, key)), NUL_MESSAGE
            yield from _unstorable(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _unstorable(item, (*path, index))


def _nul_characters_in(value) -> list[tuple[str, str]]:
    return [error for error in _unstorable(value) if error[1] == NUL_MESSAGE]


def _flat(querydict) -> dict:
    # As ninja reads it: one value, or a list when the name is repeated (?tag=a&tag=b).
    return {key: values[0] if len(values) == 1 else values for key, values in querydict.lists()}


def _may_hold_nul(body: bytes) -> bool:
    # A single byte is found by memchr at gigabytes a second; the six bytes \u0000 take ~3 µs a
    # KB (digits and zeros keep matching their tail), so they are looked for only in a body with
    # a backslash at all. The phone's JSON has none unless a text holds a quote or a newline.
    return b"\x00" in body or (b"\\" in body and b"\\u0000" in body)


def _nul_characters(request) -> list[tuple[str, str]]:
    """Every NUL character in the request's query, path and body, named by field. PostgreSQL
    refuses them in text and JSON while SQLite keeps them, so they are refused here, on both.
    Sync batches are the hottest path: the raw bytes are searched first, and only a request
    that holds a NUL is parsed again to find where."""
    errors = []
    query = request.META.get("QUERY_STRING", "")
    if "%00" in query or NUL in query:
        errors += _nul_characters_in(_flat(request.GET))
    if NUL in request.path and request.resolver_match:
        errors += _nul_characters_in(dict(request.resolver_match.kwargs))
    if request.content_type == "multipart/form-data":
        # The text fields only: the files are the importer's to read, and may well hold NULs.
        # Django parsed the form already for an operation that takes files or form fields.
        return errors + _nul_characters_in(_flat(request.POST))
    try:
        body = request.body
    except (RequestDataTooBig, RawPostDataException):
        return errors  # the handler answers for a body it cannot read (sync: 413)
    if request.content_type == "application/x-www-form-urlencoded":
        if b"%00" in body or b"\x00" in body:
            errors += _nul_characters_in(_flat(request.POST))
    elif _may_hold_nul(body):
        try:
            # strict=False reads a raw NUL inside a string too, so that it can be named.
            data = json.loads(body, strict=False)
        except ValueError:
            return errors  # not JSON: whoever parses the body answers for that
        errors += _nul_characters_in(data)
    return errors


_TIME_FIELDS: dict[type, tuple[str, ...]] = {}


def _time_fields(model: type[BaseModel]) -> tuple[str, ...]:
    """The fields of a schema that may hold a datetime, itself or nested; most hold none, so
    most requests walk nothing."""
    fields = _TIME_FIELDS.get(model)
    if fields is None:
        _TIME_FIELDS[model] = ()  # a schema that nests itself ends here
        fields = tuple(name for name, info in model.model_fields.items() if _may_hold_time(info.annotation))
        _TIME_FIELDS[model] = fields
    return fields


def _may_hold_time(annotation) -> bool:
    if isinstance(annotation, type):
        if issubclass(annotation, dt.datetime):
            return True
        if issubclass(annotation, BaseModel):
            return bool(_time_fields(annotation))
    return any(_may_hold_time(arg) for arg in typing.get_args(annotation))


def _far_offsets(value, path=()):
    """(field, message) for each datetime of the validated input whose offset is past ±15:59."""
    if isinstance(value, dt.datetime):
        if _offset_too_far(value):
            yield _field(path), OFFSET_MESSAGE
    elif isinstance(value, BaseModel):
        for name in _time_fields(type(value)):
            yield from _far_offsets(getattr(value, name), (*path, name))
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):
            yield from _far_offsets(item, (*path, index))
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _far_offsets(item, (*path, key))


def refuse_unstorable_values(view_func):
    """Every operation's handler runs behind this: after authentication, throttling and the
    schemas, before anything is written. A NUL character anywhere in the request, or a time
    whose offset PostgreSQL cannot hold, answers 422 naming the field, on both databases."""

    @functools.wraps(view_func)
    def checked(request, *args, **values):
        errors = _nul_characters(request)
        for name, value in values.items():
            # A schema's fields are what the client named (the body, or Query[...] filters);
            # a plain parameter is named by itself.
            errors += _far_offsets(value, () if isinstance(value, BaseModel) else (name,))
        if errors:
            raise UnstorableInput(errors)
        return view_func(request, *args, **values)

    return checked


# "operation" mode wraps the handler, so auth (401) and throttling (429) answer first, and the
# body a handler reads itself (sync) is checked as well as the ones ninja parses. ninja's
# Parser is no place for it: a body parser's error is always answered 400 "cannot parse", and
# it never sees the bodies that handlers read themselves.
api.add_decorator(refuse_unstorable_values)


def _refused(request, errors: list[tuple[str, str]]):
    errors = [(field, str(message)) for field, message in errors]
    detail = "; ".join(f"{field or 'body'}: {message}" for field, message in errors[:5])
    body = error_body(detail, [{"field": field, "message": message} for field, message in errors])
    return api.create_response(request, body, status=422)


@api.exception_handler(UnstorableInput)
def on_unstorable_input(request, exc):
    return _refused(request, exc.errors)


@api.exception_handler(OverflowError)
@api.exception_handler(DataError)
def on_unstorable_value(request, exc):
    # What still reaches the database driver and fails there: an integer beyond 64 bits
    # (SQLite: OverflowError, PostgreSQL: out of range), a time whose offset the check above
    # did not see (a handler that parses its own text). Bad input: name the field, as for any
    # other.
    if request.content_type in ("multipart/form-data", "application/x-www-form-urlencoded"):
        body = _flat(request.POST)
    else:
        try:
            body = json.loads(request.body or b"null", strict=False)
        except (ValueError, RawPostDataException, RequestDataTooBig):
            body = None
    found = [
        *_unstorable(dict(request.resolver_match.kwargs) if request.resolver_match else {}),
        *_unstorable(_flat(request.GET)),
        *_unstorable(body),
    ]
    if found:
        return _refused(request, found)
    if isinstance(exc, DataError):
        # A value PostgreSQL refuses that is in no field of the request (a NUL in an imported
        # file's header row): bad input still, in the database's own words.
        message = str(exc).splitlines()[0] if str(exc) else _("a value the database cannot store")
        detail = _("invalid value: %(message)s") % {"message": message}
        return api.create_response(
            request, error_body(detail, [{"field": "", "message": message}]), status=422
        )
    return on_unexpected(request, exc)


@api.exception_handler(Exception)
def on_unexpected(request, exc):
    logger.exception("API error on %s %s", request.method, request.path)
    return api.create_response(request, error_body(_("internal error; it has been logged")), status=500)
