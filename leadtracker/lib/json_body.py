"""Reading a request's JSON body: one reader for every operation of the API, whether ninja
parses the body or the handler reads it itself (the phone's sync, punching).

A body of another media type answers 415, one past DATA_UPLOAD_MAX_MEMORY_SIZE 413, text that is
not JSON 400, and JSON nested deeper than any of our schemas 422 — never a 500: each raises
BodyRefused, which the API answers with its status and the one error shape.
"""

import json

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http.request import RawPostDataException
from django.utils.translation import gettext as _

# Our deepest schema nests four levels ({"value_mapping": {"status": {"Hot": 3}}}). Deeper JSON
# is refused before anything walks it: a walk of a 5 MB body of "[[[[..." would otherwise run
# out of stack (RecursionError) in the JSON decoder or in whatever reads the value next.
MAX_DEPTH = 32


class BodyRefused(Exception):
    """A body that cannot be read as the operation's JSON; answered with ``status``."""

    def __init__(self, status: int, message: str, field: str = "body"):
        super().__init__(message)
        self.status = status
        self.message = message
        self.field = field


def is_json(content_type: str | None) -> bool:
    """application/json, or a type built on it (application/merge-patch+json)."""
    kind = (content_type or "").strip().lower()
    return kind == "application/json" or (kind.startswith("application/") and kind.endswith("+json"))


def unsupported(content_type: str | None) -> BodyRefused:
    sent = (content_type or "").strip() or _("no Content-Type")
    message = _("send JSON with Content-Type: application/json (this request sent %(sent)s)") % {"sent": sent}
    return BodyRefused(415, message)


def too_large(hint: str = "") -> BodyRefused:
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    size = f"{limit / (1024 * 1024):g} MB ({limit} bytes)" if limit >= 1024 * 1024 else f"{limit} bytes"
    message = _("the request is too large: at most %(size)s a request") % {"size": size}
    return BodyRefused(413, message + (f"; {hint}" if hint else ""))


def content_length(request) -> int:
    try:
        return max(0, int(request.META.get("CONTENT_LENGTH") or 0))
    except ValueError:
        return 0


def read(request, *, too_large_hint: str = ""):
    """The request's body as JSON, for a handler that reads it itself; None when it is empty."""
    if not is_json(request.content_type):
        raise unsupported(request.content_type)
    try:
        raw = request.body
    except RequestDataTooBig:
        raise too_large(too_large_hint) from None
    except RawPostDataException:
        # Only a multipart body is read as a stream before the handler (the CSRF check reads
        # its form fields); a JSON body never is.
        raise unsupported(request.content_type) from None
    return loads(raw) if raw.strip() else None


def loads(raw: bytes | str):
    try:
        value = json.loads(raw)
    except RecursionError:
        raise too_deep() from None
    except (ValueError, UnicodeDecodeError) as exc:  # JSONDecodeError is a ValueError
        raise BodyRefused(400, _("the body is not valid JSON (%(reason)s)") % {"reason": exc}) from None
    if _deeper_than(value, MAX_DEPTH, raw):
        raise too_deep()
    return value


def too_deep() -> BodyRefused:
    message = _("the JSON is nested too deeply: at most %(depth)s levels of arrays and objects")
    return BodyRefused(422, message % {"depth": MAX_DEPTH})


def _deeper_than(value, limit: int, raw) -> bool:
    """Whether arrays and objects nest more than ``limit`` levels, level by level without
    recursion. Most bodies hold fewer brackets than the limit and need no walk at all."""
    if isinstance(raw, str):
        raw = raw.encode()
    if raw.count(b"[") + raw.count(b"{") <= limit:
        return False
    level = [value] if isinstance(value, dict | list) else []
    for _level in range(limit):
        below = []
        for item in level:
            for child in item.values() if isinstance(item, dict) else item:
                if isinstance(child, dict | list):
                    below.append(child)
        if not below:
            return False
        level = below
    return True
