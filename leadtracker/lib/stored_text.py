"""Texts written now and read later, by someone else, in the reader's language (issue 20 §3).

A sentence a worker writes for people to read later — a rule's action that could not be done,
a connector's error, a note on a lead's timeline — has no reader when it is written, and many
readers (English and Hindi) afterwards. So it is stored as what to say, not as words: the
msgid and its values, a small dict for a JSON field, and rendered when read:

    data["said"] = stored(gettext_noop("Came back through %(name)s."), name=connector.name)
    ...
    shown(activity.data.get("said"), activity.body)   # in the reader's language

``gettext_noop`` marks the msgid for the catalogue (lib/catalogues.py extracts it); a value may
itself be a stored text (``stored(...)``), rendered in the same language. The English is kept
beside it for the record (the API, exports, search): ``shown``'s fallback is that English, which
is also what a row written before this (no stored text) shows, as it was.

An error raised deep inside an action (``ActionError(_("no such source"))``) is already words
when the worker catches it. ``recording()`` makes every gettext inside it also remember what it
was asked (``recipe_of(exc.message)``), so the worker can store the recipe beside the words:

    with recording():
        try: ...
        except ActionError as exc:
            did = {"failed": exc.message, "failed_said": recipe_of(exc.message)}

A text put together without gettext (an f-string, a join) has no recipe: it is stored as words.

A text a person may edit afterwards (a lead's notes written by a connector) cannot be a recipe:
it is written as words in the organisation's language, inside ``written_in(language)``, which
leaves a ``recording()`` around it recording.
"""

import functools
import re
from contextlib import contextmanager
from typing import Any

from django.conf import settings
from django.utils import translation
from django.utils.translation import trans_real

CONTEXT_SEPARATOR = "\x04"


def _plain(value: Any) -> Any:
    """A value as it can be stored in JSON: a stored text stays one, numbers stay numbers."""
    if isinstance(value, dict) and "id" in value:
        return value
    recipe = recipe_of(value)
    if recipe is not None:
        return recipe
    if isinstance(value, bool | int | float) or value is None:
        return value
    return str(value)


def stored(msgid: str, *, context: str | None = None, **values) -> dict:
    """What to say, to be rendered when read: the msgid (marked with gettext_noop where it is
    written), an optional context, and the %(name)s values (each a plain value or ``stored``)."""
    text = {"id": msgid}
    if context:
        text["ctx"] = context
    if values:
        text["values"] = {k: _plain(v) for k, v in values.items()}
    return text


def _render(text: dict) -> str:
    msgid, context = text["id"], text.get("ctx")
    if "plural" in text:
        n = text.get("n", 1)
        if context:
            words = translation.npgettext(context, msgid, text["plural"], n)
        else:
            words = translation.ngettext(msgid, text["plural"], n)
    else:
        words = translation.pgettext(context, msgid) if context else translation.gettext(msgid)
    values = text.get("values")
    if values is None:
        return words
    if isinstance(values, dict):
        return words % {k: _value(v) for k, v in values.items()}
    return words % tuple(_value(v) for v in values)


def _value(value: Any) -> Any:
    return _render(value) if isinstance(value, dict) and "id" in value else value


def shown(text: Any, fallback: str = "") -> str:
    """``text`` (from ``stored`` or ``recipe_of``) in the active language: the reader's. The
    fallback — the English kept for the record — when there is none (a row written before) or
    it cannot be rendered (a msgstr whose placeholders do not fit): a page never breaks on it."""
    if not isinstance(text, dict) or not isinstance(text.get("id"), str):
        return fallback
    try:
        return _render(text)
    except (KeyError, TypeError, ValueError, IndexError):
        return fallback


def english(text: dict) -> str:
    """``text`` in the site's language, for the record."""
    with translation.override(settings.LANGUAGE_CODE):
        return shown(text)


# --- words written by the system in English, with no column for what they said ----------


@functools.cache
def _pattern(msgid: str) -> re.Pattern:
    parts = re.split(r"%\((\w+)\)s", msgid)
    regex = "".join(re.escape(p) if i % 2 == 0 else f"(?P<{p}>.+?)" for i, p in enumerate(parts))
    return re.compile(regex + r"\Z", re.S)


def reread(words: str, msgids) -> str:
    """``words`` in the active language when they are one of ``msgids`` (English, marked with
    gettext_noop where written) with its %(name)s values filled in; else as they are (a person's
    own note). For a record that keeps only its English words, and rows written before."""
    for msgid in msgids:
        if found := _pattern(msgid).match(words or ""):
            return translation.gettext(msgid) % found.groupdict()
    return words


# --- recording what an action's error said ------------------------------------------------


class _Said(str):
    """Words from gettext that remember what gettext was asked, and the values % filled in."""

    said: dict

    def __mod__(self, values):
        out = _Said(str.__mod__(self, values))
        if isinstance(values, dict):
            plain = {k: _plain(v) for k, v in values.items()}
        else:
            plain = [_plain(v) for v in (values if isinstance(values, tuple) else (values,))]
        out.said = {**self.said, "values": plain}
        return out


def _said(words: str, recipe: dict) -> _Said:
    out = _Said(words)
    out.said = recipe
    return out


def _split(message: str) -> tuple[str | None, str]:
    context, sep, msgid = message.partition(CONTEXT_SEPARATOR)
    return (context, msgid) if sep else (None, message)


class _Recorder:
    """The active translation, answering as it would, with words that remember their msgid."""

    def __init__(self, base):
        self._base = base

    def __getattr__(self, name):
        return getattr(self._base, name)

    def gettext(self, message):
        context, msgid = _split(message)
        words = self._base.gettext(message)
        if CONTEXT_SEPARATOR in words:  # not translated: django.utils.translation.pgettext's case
            words = msgid
        recipe = {"id": msgid, **({"ctx": context} if context else {})}
        return _said(words, recipe)

    def ngettext(self, singular, plural, number):
        context, msgid = _split(singular)
        words = self._base.ngettext(singular, plural, number)
        if CONTEXT_SEPARATOR in words:
            words = _split(words)[1]
        recipe = {
            "id": msgid,
            "plural": _split(plural)[1],
            "n": number,
            **({"ctx": context} if context else {}),
        }
        return _said(words, recipe)


@contextmanager
def recording():
    """Inside, gettext's words (in the active language, as before) also carry their recipe."""
    before = getattr(trans_real._active, "value", None)
    base = before if before is not None else trans_real.translation(translation.get_language())
    trans_real._active.value = _Recorder(base)
    try:
        yield
    finally:
        if before is None:
            del trans_real._active.value
        else:
            trans_real._active.value = before


@contextmanager
def written_in(language: str):
    """Inside, gettext answers in ``language`` (words for a text a person may edit later, so
    not a recipe: a lead's notes in the organisation's language). After, the translation active
    before is back as it was: ``translation.override`` would put back a plain one, and a
    ``recording()`` around this would stop recording the errors raised after it."""
    before = getattr(trans_real._active, "value", None)
    translation.activate(language)
    try:
        yield
    finally:
        if before is None:
            translation.deactivate()
        else:
            trans_real._active.value = before


def as_words(text: Any, fallback: str = "") -> str:
    """``text`` (a stored text) in the active language, as words that still carry it: a gettext
    string that takes them as a value inside recording() keeps the stored text, not the words.
    The fallback (the English kept beside it) when there is none."""
    if not isinstance(text, dict) or not isinstance(text.get("id"), str):
        return fallback
    return _said(shown(text, fallback), text)


def recipe_of(words: Any) -> dict | None:
    """What gettext was asked for ``words`` inside ``recording()``; None for other text."""
    return getattr(words, "said", None) if isinstance(words, _Said) else None
