"""The sample "Send a test" posts: a body shaped by the connector's own mapping, so the test
goes through the same paths a real sender's body will."""

import secrets

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from leadtracker.integrations.webhook.paths import BadPath, steps

VALUES = {
    "phone": "+91 98765 43210",
    "alt_phone": "",
    "email": "test.lead@example.com",
    "city": "Pune",
}


def _words() -> dict:
    """What a person reads on the test lead, in the language of the admin who sends it (the
    request's): its name, company, note and source are words it keeps."""
    return {
        "name": _("Test Lead (LeadTracker)"),
        "company": _("Test Company"),
        "notes": _("Sent with Send a test from Settings → Integrations."),
        "source": pgettext("the source of a test lead", "Send a test"),
    }


def _put(body, path: list, value):
    """Write value at path, making the objects and lists on the way; False when the path
    crosses a place another field's path already made of the other kind."""
    if not path:
        return False
    node = body
    for step, following in zip(path, [*path[1:], None], strict=True):
        fresh = [] if isinstance(following, int) else {}
        if isinstance(step, int):
            if not isinstance(node, list):
                return False
            while len(node) <= step:
                node.append({} if following is not None else None)
            if following is None:
                node[step] = value
            elif not isinstance(node[step], type(fresh)):
                node[step] = fresh
            node = node[step]
        else:
            if not isinstance(node, dict):
                return False
            if following is None:
                node[step] = value
            else:
                node = node.setdefault(step, fresh)
    return True


def sample_body(mapping: dict):
    """A body with a sample value at each mapped path (a new id each time, so that the test is
    not taken for a repeat of the last one)."""
    values = {**VALUES, **_words(), "id": f"test-{secrets.token_hex(4)}"}
    first = next(iter(mapping.values()), "")
    body = [] if first.startswith("[") else {}
    for name, path in mapping.items():
        if not values.get(name):
            continue
        if isinstance(body, dict) and ("." in path or "[" in path) and path not in body:
            try:
                placed = _put(body, steps(path), values[name])
            except BadPath:
                placed = False
            if placed:
                continue
        if isinstance(body, dict):
            body[path] = values[name]
        else:
            _put(body, steps(path), values[name])
    return body
