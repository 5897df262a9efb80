"""The words our browser scripts show, in the reader's language.

A script has its English in its own source, as the fallback of ``t("key", "English")``; the
server writes the same keys in the reader's language as JSON, and the script shows
``T[key] || English``. A page's script reads them from ``<script id="<name>-words">``, written
by ``{% script_words "<name>" %}``; the service worker has no page, so lib/pwa.py writes the
words of every language into the worker it serves (``worker()``), and the worker picks the
language the signed-in person's pages last told it.

The check is leadtracker/tests/test_script_words.py: no text a person reads in a script goes
around ``t()``, and each key's English here is the script's own English (so English readers see
what they saw before). The Hindi is in leadtracker/locale (test_translations.py).

Counts come in two keys, ``<key>_one`` and ``<key>_other``: both catalogues say
``plural=(n != 1)``, so the script picks ``_one`` for 1 and ``_other`` for any other number.
The words carry a context ("phone offline"), so that their Hindi never replaces the Hindi of the
same English elsewhere (this catalogue is read before the apps' own). It is written out in each
call: the extractor reads literals only.
"""

import json

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import json_script
from django.utils.translation import npgettext, pgettext

register = template.Library()


def offline() -> dict:
    """offline.js: the offline marker, the changes waiting and refused, the log-out question."""
    waiting = {
        "waiting_one": npgettext(
            "phone offline", "%(n)s change waiting to send", "%(n)s changes waiting to send", 1
        ),
        "waiting_other": npgettext(
            "phone offline", "%(n)s change waiting to send", "%(n)s changes waiting to send", 2
        ),
        "not_sent_one": npgettext("phone offline", "%(n)s change not sent", "%(n)s changes not sent", 1),
        "not_sent_other": npgettext("phone offline", "%(n)s change not sent", "%(n)s changes not sent", 2),
    }
    return {
        "as_of": pgettext("phone offline", "Offline · as of %(time)s"),
        "latest": pgettext("phone offline", "Show the latest"),
        **waiting,
        "refused_title": pgettext("phone offline", "Changes not sent"),
        "made": pgettext("phone offline", " made %(time)s: %(reason)s"),
        "dismiss": pgettext("phone offline", "Dismiss"),
        "logout_said": pgettext(
            "phone offline", "Made on this phone and not yet on the server. Send them before you log out?"
        ),
        "send_now": pgettext("phone offline", "Send now"),
        "discard": pgettext("phone offline", "Discard and log out"),
        "keep": pgettext("phone offline", "Keep them and log out"),
        "sending": pgettext("phone offline", "Sending…"),
        "no_network": pgettext(
            "phone offline",
            "No network: not sent. Try again, or keep them on this phone for your next sign-in.",
        ),
    }


def worker() -> dict:
    """sw.js: its page for a page not kept, its answer to a change saved offline, the name of
    each change waiting, and why a change was refused (when the server gave no reason)."""
    return {
        "offline": pgettext("phone offline", "Offline"),
        "no_network": pgettext("phone offline", "No network"),
        "not_kept": pgettext(
            "phone offline",
            "This page was not kept on this phone. My day, the calling queue and the leads you "
            "opened last can be read offline.",
        ),
        "my_day": pgettext("phone offline", "My day"),
        "logout_offline": pgettext(
            "phone offline",
            "This phone has forgotten your pages, but the server could not be told: log out again "
            "when the network is back.",
        ),
        "saved": pgettext("phone offline", "Saved on this phone: sent when the network is back."),
        "change": pgettext("phone offline", "Change"),
        "punch_in": pgettext("phone offline", "Punch in"),
        "punch_out": pgettext("phone offline", "Punch out"),
        "note": pgettext("phone offline", "Note"),
        "follow_up": pgettext("phone offline", "Follow-up"),
        "follow_up_done": pgettext("phone offline", "Follow-up done"),
        "new_lead": pgettext("phone offline", "New lead"),
        "outcome": pgettext("phone offline", "Outcome"),
        "not_found": pgettext(
            "phone offline", "not found: the lead was given to someone else, deleted or erased"
        ),
        "forbidden": pgettext("phone offline", "not allowed for you (any more)"),
        "not_accepted": pgettext(
            "phone offline", "the form was not accepted: open it and make the change again"
        ),
        "refused": pgettext("phone offline", "refused (%(status)s)"),
        "expired": pgettext(
            "phone offline",
            "not sent for over %(days)s days, so given up: make the change again if it still matters",
        ),
    }


def board() -> dict:
    """board.js: a card dropped on a column the server refused (and sent no reason)."""
    return {"not_moved": pgettext("the board", "Could not move the lead.")}


SCRIPTS = {"offline": offline, "board": board}


class _Letters(DjangoJSONEncoder):
    """Devanagari as it is in the JSON (three bytes a letter, not the six of \\u0915)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **{**kwargs, "ensure_ascii": False})


def as_json(words: dict) -> str:
    """The words as JSON for a script's source (the service worker's)."""
    return json.dumps(words, cls=_Letters)


@register.simple_tag
def script_words(name: str, words: dict | None = None) -> str:
    """``<script id="<name>-words" type="application/json">…</script>``: the words of
    static/js/<name>.js in the language of the request (<, > and & escaped by json_script).
    An app's script has its words from its view (``words``): lib imports no app."""
    return json_script(SCRIPTS[name]() if words is None else words, f"{name}-words", encoder=_Letters)
