"""Paths into a body, as the admin writes them in a generic webhook's field mapping.

``contact.phone`` takes the key ``phone`` of the object under ``contact``; ``data[0].mobile``
the key ``mobile`` of the first item of the list under ``data``; ``[0].name`` the first item of
a body that is a list. A form-encoded body is flat, so a key that is itself written with dots or
brackets (``contact.phone``, ``lead[phone]``) is found as it is first.
"""

import re

from django.utils.translation import gettext as _

_SEGMENT = re.compile(r"([^.\[\]]+)?((?:\[\d{1,4}\])*)")
_INDEX = re.compile(r"\[(\d{1,4})\]")
MAX_DEPTH = 12


class BadPath(ValueError):
    """What is wrong with a path or a mapping, in gettext's words (with their recipe inside
    recording()). ``field``: the lead's field whose path it is, when known; ``reason``: the
    words without the field's name, for a form to show beside that field."""

    def __init__(self, message: str, *, field: str = "", reason: str = ""):
        super().__init__(message)
        self.field, self.reason = field, reason or message


def steps(path: str) -> list[str | int]:
    """``data[0].mobile`` → ["data", 0, "mobile"]; BadPath says what is wrong."""
    path = (path or "").strip()
    if not path:
        raise BadPath(_("the path is empty"))
    if len(path) > 200:
        raise BadPath(_("the path is longer than 200 characters"))
    out: list[str | int] = []
    for part in path.split("."):
        match = _SEGMENT.fullmatch(part)
        if not part or match is None or not (match.group(1) or match.group(2)):
            message = _("%(path)r: write keys with dots and list positions as [0], e.g. data[0].phone")
            raise BadPath(message % {"path": path})
        if match.group(1):
            out.append(match.group(1).strip())
        out.extend(int(i) for i in _INDEX.findall(match.group(2)))
    if len(out) > MAX_DEPTH:
        raise BadPath(_("%(path)r goes deeper than %(n)s levels") % {"path": path, "n": MAX_DEPTH})
    return out


def resolve(body, path: str):
    """The value at ``path`` in ``body``, or None when it is not there."""
    if isinstance(body, dict) and path in body:
        return body[path]
    node = body
    for step in steps(path):
        if isinstance(step, int):
            if not isinstance(node, list) or step >= len(node):
                return None
            node = node[step]
        else:
            if not isinstance(node, dict) or step not in node:
                return None
            node = node[step]
    return node


def as_text(value, limit: int = 2000) -> str:
    """A mapped value as the text a lead's field holds: numbers written out (a phone sent as
    a JSON number), lists of words joined, objects refused (the path stops too early)."""
    if value is None or isinstance(value, bool):
        return "" if value is None else ("yes" if value else "no")
    if isinstance(value, int | float):
        return str(value)[:limit]
    if isinstance(value, str):
        return value.strip()[:limit]
    if isinstance(value, list) and all(isinstance(v, str | int | float) for v in value):
        return ", ".join(str(v) for v in value)[:limit]
    raise BadPath(_("points to an object or a list, not to a value; name a key further in"))
