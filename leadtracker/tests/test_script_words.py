"""Every text our browser scripts show goes through their words, in the reader's language.

A script shows ``t("key", "English")``: the server writes the key's text in the reader's language
(lib/script_words.py, reports' chart_words, push's words; the service worker has them inside it,
lib/pwa.py). These tests read the scripts under leadtracker/static/js/ with a JavaScript
tokenizer (jsbeautifier's, a pinned dev requirement) and fail when

(a) a string literal a person would read is not a ``t()`` call's English: a literal that reads
    as words ("Could not move the lead.") or as a label ("Dismiss", "Follow-up"), or any literal
    with letters handed to what shows text
    (``element(tag, attrs, text)``, ``.textContent =``, ``alert``, ``append``, a notification, a
    Response…);
(b) a ``t()`` key is not among the server's words for that script, or its English is not the
    server's English (an English reader sees what the script says: the server's English is the
    same text), or the server has a key the script no longer uses;
(c) a word has no Hindi (the same text in Hindi as in English).

The Hindi itself is checked for staleness and completeness, catalogue by catalogue, by
test_translations.py.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.utils import translation
from jsbeautifier.javascript.options import BeautifierOptions
from jsbeautifier.javascript.tokenizer import TOKEN, Tokenizer

from leadtracker.accounts.push.views import _browser_texts
from leadtracker.lib import pwa, script_words
from leadtracker.reports.views import chart_words

pytestmark = pytest.mark.same_on_every_database(reason="reads scripts and catalogues, not the database")

SCRIPTS = Path(script_words.__file__).resolve().parent.parent / "static" / "js"

# Each script that shows words, and the server's words for it.
WORDS_OF: dict[str, Callable[[], dict]] = {
    "offline.js": script_words.offline,
    "sw.js": script_words.worker,
    "board.js": script_words.board,
    "dashboard.js": chart_words,
    "push.js": _browser_texts,
}
# Keys a script builds rather than writes out (dashboard.js: "series_" + a table's column).
BUILT_KEYS = {"dashboard.js": ("series_",)}

# Literals that read as words but nobody reads them, and the product's name.
NOT_SHOWN = {
    "use strict",
    "the server is out of reach: the outbox waits for the next sync",  # sw.js: a failed sync's error
    "LeadTracker",  # sw_push.js: a notification's title when the server sent none
}

# Calls whose arguments a person reads (all of them), and element()'s third argument.
SHOWING_CALLS = {"alert", "confirm", "prompt", "say", "append", "prepend", "showNotification", "offlinePage"}
SHOWING_PROPERTIES = {"textContent", "innerText", "innerHTML", "title", "placeholder"}
# Calls whose arguments are selectors or errors (not read by a person).
CODE_CALLS = {"querySelector", "querySelectorAll", "closest", "matches", "getElementById", "Error"}
# Object keys whose values are code (a class list has spaces: "flash error").
CODE_KEYS = {"class", "className", "id", "role", "type"}

LETTERS = re.compile(r"[^\W\d_]")
# A button's or a list's word: "Dismiss", "Outcome", "Follow-up", "Sending…".
LABEL = re.compile(r"[A-Z][a-z]{2,}(?:[- ][a-z]+)*[.…!?]?$")
PROSE = re.compile(r"[^\W\d_]{2,}[,:.]? [(\"“']?[^\W\d_]{2,}")


@dataclass
class Literal:
    text: str
    line: int
    showing: bool = False  # handed to what shows text
    english_of: str | None = None  # the key, when this is a t() call's English
    is_key: bool = False
    code: bool = False


def tokens(source: str) -> list:
    stream = Tokenizer(source, BeautifierOptions()).tokenize()
    out = []
    while True:
        try:
            token = stream.next()
        except StopIteration:
            break
        if token is None or token.type == TOKEN.EOF:
            break
        out.append(token)
    return out


def _value(raw: str) -> str:
    body = raw[1:-1]
    if raw[0] == "`":
        body = re.sub(r"\$\{[^}]*\}", "", body)
    return re.sub(r"\\u([0-9a-fA-F]{4})|\\(.)", lambda m: chr(int(m[1], 16)) if m[1] else m[2], body)


def _arguments(toks: list, open_at: int, top_only: bool = False) -> list[list[int]]:
    """The token indices of each argument of the call whose "(" is at ``open_at``; with
    ``top_only``, only those not inside a bracket of their own (a nested call's are its own)."""
    args, current, depth = [], [], 0
    for i in range(open_at, len(toks)):
        kind = toks[i].type
        if kind in (TOKEN.START_EXPR, TOKEN.START_BLOCK):
            depth += 1
            if depth == 1:
                continue
        elif kind in (TOKEN.END_EXPR, TOKEN.END_BLOCK):
            depth -= 1
            if depth == 0:
                break
        elif kind == TOKEN.COMMA and depth == 1:
            args.append(current)
            current = []
            continue
        if depth == 1 or not top_only:
            current.append(i)
    args.append(current)
    return [a for a in args if a]


def _expressions(template: str) -> list[str]:
    """The code inside a template literal's ${…}."""
    out, depth, start = [], 0, 0
    for i, char in enumerate(template):
        if char == "{" and (depth or template[i - 1 : i] == "$"):
            depth += 1
            start = i + 1 if depth == 1 else start
        elif char == "}" and depth:
            depth -= 1
            if not depth:
                out.append(template[start:i])
    return out


def literals(source: str, first_line: int = 1) -> list[Literal]:
    """Every string literal of a script (regular expressions left out), with what it is for;
    those in the code of a template literal's ${…} too."""
    toks = tokens(source)
    found: dict[int, Literal] = {}
    inner: list[Literal] = []
    at = 0  # where the tokens are in the source, for the line in a failure's message
    for i, tok in enumerate(toks):
        at = max(at, source.find(tok.text, at))
        line = first_line + source.count("\n", 0, at)
        if tok.type == TOKEN.STRING and tok.text[0] in "\"'`":
            found[i] = Literal(_value(tok.text), line)
            if tok.text[0] == "`":
                inner += [lit for code in _expressions(tok.text) for lit in literals(code, line)]
        at += len(tok.text)

    def mark(indices, **flags):
        for j in indices:
            if j in found:
                for name, value in flags.items():
                    setattr(found[j], name, value)

    for i, tok in enumerate(toks):
        following = toks[i + 1] if i + 1 < len(toks) else None
        called = tok.type in (TOKEN.WORD, TOKEN.RESERVED) and following is not None and following.text == "("
        if called and tok.text == "t" and (i == 0 or toks[i - 1].text not in {".", "function"}):
            args = _arguments(toks, i + 1)
            if len(args) >= 2 and len(args[0]) == 1 and len(args[1]) == 1 and args[1][0] in found:
                if args[0][0] in found:
                    found[args[0][0]].is_key = True
                    found[args[1][0]].english_of = found[args[0][0]].text
                else:  # a key built at run time: its English is checked where the key is listed
                    found[args[1][0]].english_of = ""
        elif called and tok.text in SHOWING_CALLS:
            args = _arguments(toks, i + 1, top_only=True)
            mark(
                (j for arg in args[: 1 if tok.text == "showNotification" else None] for j in arg),
                showing=True,
            )
        elif called and tok.text == "element":  # element(tag, attributes, text)
            args = _arguments(toks, i + 1, top_only=True)
            mark(args[2] if len(args) > 2 else [], showing=True)
        elif called and tok.text == "Response" and i > 0 and toks[i - 1].text == "new":
            args = _arguments(toks, i + 1, top_only=True)
            mark(args[0] if args else [], showing=True)
        elif called and tok.text in CODE_CALLS:
            mark((j for arg in _arguments(toks, i + 1) for j in arg), code=True)
        elif tok.text in SHOWING_PROPERTIES and i > 0 and toks[i - 1].text == "." and following is not None:
            if following.type == TOKEN.EQUALS:
                depth = 0  # to the end of the statement, what is not inside a call of its own
                for j in range(i + 2, len(toks)):
                    depth += toks[j].type in (TOKEN.START_EXPR, TOKEN.START_BLOCK)
                    depth -= toks[j].type in (TOKEN.END_EXPR, TOKEN.END_BLOCK)
                    if toks[j].type == TOKEN.SEMICOLON or depth < 0:
                        break
                    if depth == 0:
                        mark([j], showing=True)
        elif tok.text in CODE_KEYS and following is not None and following.text == ":":
            mark([i + 2], code=True)
        elif i in found and following is not None and following.text == "in":  # "Notification" in window
            mark([i], code=True)
    return list(found.values()) + inner


def unrouted(source: str) -> list[str]:
    """The literals a person would read that do not go through t()."""
    out = []
    for lit in literals(source):
        if lit.english_of is not None or lit.is_key or lit.text in NOT_SHOWN:
            continue
        text = re.sub(r"<[^>]*>", " ", lit.text)
        reads = (lit.showing and LETTERS.search(text)) or (
            not lit.code and (PROSE.search(text) or LABEL.match(text.strip()))
        )
        if reads:
            out.append(f"line {lit.line}: {lit.text[:70]!r}")
    return out


def routed(source: str) -> dict[str, str]:
    return {lit.english_of: lit.text for lit in literals(source) if lit.english_of}


def _scripts():
    return sorted(SCRIPTS.glob("*.js"))


@pytest.mark.parametrize("script", _scripts(), ids=lambda p: p.name)
def test_no_script_shows_text_that_is_not_in_its_words(script):
    assert not unrouted(script.read_text(encoding="utf-8")), (
        f"{script.name} shows text outside t(key, English): {unrouted(script.read_text(encoding='utf-8'))}. "
        "Put it in the script's words (lib/script_words.py or the view's) and show t(key, English)."
    )


@pytest.mark.parametrize("script", _scripts(), ids=lambda p: p.name)
def test_each_key_is_in_the_servers_words_with_the_same_english(script):
    used = routed(script.read_text(encoding="utf-8"))
    if not used:
        assert script.name not in WORDS_OF, f"{script.name} shows no words: drop it from WORDS_OF"
        return
    assert script.name in WORDS_OF, f"{script.name} has words: add its server words to WORDS_OF"
    with translation.override("en-in"):
        server = WORDS_OF[script.name]()
    missing = {key: english for key, english in used.items() if key not in server}
    other = {
        key: (english, server[key])
        for key, english in used.items()
        if key in server and server[key] != english
    }
    unused = [
        key for key in server if key not in used and not key.startswith(BUILT_KEYS.get(script.name, ("\0",)))
    ]
    assert not missing, f"{script.name}: keys the server does not have: {missing}"
    assert not other, f"{script.name}: the script's English differs from the server's: {other}"
    assert not unused, f"{script.name}: the server has words the script no longer shows: {unused}"


@pytest.mark.parametrize("script", sorted(WORDS_OF), ids=str)
def test_every_word_has_its_hindi(script):
    with translation.override("en-in"):
        english = WORDS_OF[script]()
    with translation.override("hi"):
        hindi = WORDS_OF[script]()
    assert english.keys() == hindi.keys()
    same = [key for key in english if hindi[key] == english[key]]
    assert not same, f"{script}: no Hindi for {same}"


def test_the_dashboards_series_keep_their_english_names():
    # What dashboard.js showed before its words came from the server.
    with translation.override("en-in"):
        words = chart_words()
    assert {
        key: words[f"series_{key}"]
        for key in ("not_connected", "answered_elsewhere", "answered", "voicemail")
    } == {
        "not_connected": "Not connected",
        "answered_elsewhere": "Answered elsewhere",
        "answered": "Answered",
        "voicemail": "Voicemail",
    }
    assert (
        words["series_talk_minutes"] == "Talk (minutes)"
        and words["series_conversion_percent"] == "Conversion %"
    )
    assert words["series_calls"] == "Calls" and words["series_won"] == "Won"


def test_the_worker_carries_the_words_of_every_language():
    words = pwa.worker_words()
    assert list(words) == ["en-in", "hi"]  # the site's own language first: a browser's fallback
    assert words["hi"]["no_network"] == "नेटवर्क नहीं है" and words["en-in"]["no_network"] == "No network"


def test_the_check_finds_text_outside_the_words():
    source = """
    const T = {};
    function element(tag, attrs, text) { return null; }
    el.textContent = "Dismiss";
    el.textContent = t("dismiss", "Dismiss");
    marker.append(element("p", { class: "flash error", id: "x" }, "Saved"));
    alert(said || "Could not move the lead.");
    const LABELS = { talk: "Talk (minutes)" };
    document.querySelector("main a[href]");
    title.textContent = t("count", "%(n)s changes", { n: "3 more" });
    const clock = `${c.hour}:${c.minute}`;
    const said = `${n} changes waiting to send`;
    if ("Notification" in window) return "Outcome";
    """
    assert [line.split(":")[0] for line in unrouted(source)] == [
        "line 4",
        "line 6",
        "line 7",
        "line 8",
        "line 12",
        "line 13",
    ]
    assert routed(source) == {"dismiss": "Dismiss", "count": "%(n)s changes"}
