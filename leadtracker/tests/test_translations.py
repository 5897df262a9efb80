"""Every string a person sees is marked for translation, and its Hindi is in the catalogue.

An area is a set of source files (templates, Python) and the locale folder its Hindi lives in.
For each area listed in TRANSLATED:

(a) every visible text of its templates (text between tags, and the placeholder, title,
    aria-label and alt attributes, and the value of a button) is inside {% translate %} or
    {% blocktranslate %}; its Python passes no bare string to ActionError, ValidationError,
    HttpError, messages.*, or a form field's label/help_text;
(b) the Hindi catalogue holds a non-empty, non-fuzzy msgstr for every string the area marks, and
    no string the code no longer marks.

When (b) fails, `python -m leadtracker.lib.catalogues update <locale> <sources>` (printed in the
failure) brings the .po in line; then write the Hindi for the empty msgstrs.

Translating an area is one line moved from NOT_YET_TRANSLATED to TRANSLATED. Issue 20 §3 stays
open while NOT_YET_TRANSLATED has anything in it.
"""

import ast
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.template.base import Lexer, TokenType

from leadtracker.lib import catalogues

pytestmark = pytest.mark.same_on_every_database(reason="reads source files and catalogues, not the database")

ROOT = catalogues.ROOT
T = "leadtracker/templates"


@dataclass(frozen=True)
class Area:
    name: str
    locale: str
    sources: tuple[str, ...]


TRANSLATED = [
    Area(
        "shared pages, lib (formats, bodies) and the API's shared error messages",
        "leadtracker/locale",
        (
            f"{T}/base.html",
            f"{T}/403.html",
            f"{T}/404.html",
            f"{T}/_confirm.html",
            f"{T}/_confirm_buttons.html",
            f"{T}/_form_errors.html",
            f"{T}/confirm.html",
            "leadtracker/lib",
            "leadtracker/api.py",
        ),
    ),
    Area(
        "accounts: signing in, profile, organisation settings",
        "leadtracker/accounts/locale",
        (
            f"{T}/accounts/login.html",
            f"{T}/accounts/profile.html",
            f"{T}/accounts/organisation_settings.html",
            f"{T}/accounts/password_reset.html",
            f"{T}/accounts/password_reset_done.html",
            f"{T}/accounts/password_reset_confirm.html",
            f"{T}/accounts/password_reset_complete.html",
            f"{T}/accounts/password_change.html",
            f"{T}/accounts/no_membership.html",
            "leadtracker/accounts/forms.py",
            "leadtracker/accounts/views.py",
            "leadtracker/accounts/context_processors.py",
            "leadtracker/accounts/actions.py",
            f"{T}/accounts/email/invitation.txt",
            f"{T}/accounts/settings_hub.html",
            f"{T}/accounts/notifications.html",
            f"{T}/accounts/signup.html",
            f"{T}/accounts/accept_invitation.html",
            f"{T}/accounts/members.html",
            f"{T}/accounts/member_detail.html",
            f"{T}/accounts/tokens.html",
            f"{T}/accounts/mfa_code.html",
            f"{T}/accounts/mfa_recovery_codes.html",
            f"{T}/accounts/mfa_settings.html",
            f"{T}/accounts/support_request.html",
            f"{T}/accounts/support_requests.html",
            f"{T}/accounts/push",
            "leadtracker/accounts/mfa.py",
            "leadtracker/accounts/mfa_views.py",
            "leadtracker/accounts/api.py",
            "leadtracker/accounts/support/actions.py",
            f"{T}/accounts/audit_log.html",
            f"{T}/accounts/audit_event.html",
            f"{T}/accounts/_audit_rows.html",
            f"{T}/accounts/email/password_reset.txt",
            f"{T}/accounts/email/password_reset_subject.txt",
        ),
    ),
    Area(
        "accounts: Help, role names, push and notifications, the admin, idempotent writes' refusals",
        "leadtracker/accounts/locale",
        (
            f"{T}/accounts/help.html",
            "leadtracker/accounts/models.py",
            "leadtracker/accounts/admin.py",
            "leadtracker/accounts/notifications.py",
            "leadtracker/accounts/push",
            "leadtracker/accounts/decorators.py",
            "leadtracker/accounts/idempotency.py",
            "leadtracker/accounts/audit.py",
            "leadtracker/accounts/audit_words.py",
        ),
    ),
    Area(
        "calls: every page (the queue, the outcome sheet, calls, phones, pairing, outcomes, talk scripts, "
        "usage), its messages, the API's refusals, the push after a call",
        "leadtracker/calls/locale",
        (f"{T}/calls", "leadtracker/calls"),
    ),
    Area(
        "attendance: punching in and out, shifts, timesheets",
        "leadtracker/attendance/locale",
        (f"{T}/attendance", "leadtracker/attendance"),
    ),
    Area(
        "reports: my day, the dashboard and the daily digest e-mail",
        "leadtracker/reports/locale",
        (f"{T}/reports", "leadtracker/reports"),
    ),
    Area(
        "leads: the list, board, search, a lead's page, new and edit, trash, duplicates; their messages",
        "leadtracker/leads/locale",
        (
            f"{T}/leads/list.html",
            f"{T}/leads/_rows.html",
            f"{T}/leads/detail.html",
            f"{T}/leads/new.html",
            f"{T}/leads/edit.html",
            f"{T}/leads/board.html",
            f"{T}/leads/_board_cards.html",
            f"{T}/leads/_board_figures.html",
            f"{T}/leads/_column_figures.html",
            f"{T}/leads/_search_results.html",
            f"{T}/leads/search.html",
            f"{T}/leads/_consent_panel.html",
            f"{T}/leads/_dnc_flag.html",
            f"{T}/leads/_merge_value.html",
            f"{T}/leads/timeline",
            f"{T}/leads/fields",
            f"{T}/leads/trash.html",
            f"{T}/leads/trashed.html",
            f"{T}/leads/duplicates.html",
            f"{T}/leads/_my_consent.html",
            f"{T}/leads/unsubscribe.html",
            f"{T}/leads/unsubscribe_done.html",
            f"{T}/leads/campaign_export.html",
            f"{T}/leads/merge_preview.html",
            "leadtracker/leads/actions/leads.py",
            "leadtracker/leads/views/leads.py",
            "leadtracker/leads/views/list_rows.py",
            "leadtracker/leads/views/follow_ups.py",
            "leadtracker/leads/forms.py",
            "leadtracker/leads/models.py",
            "leadtracker/leads/trash/views.py",
            "leadtracker/leads/views/saved_views.py",
            "leadtracker/leads/views/consent.py",
            "leadtracker/leads/actions/follow_ups.py",
            "leadtracker/leads/actions/permissions.py",
            "leadtracker/leads/actions/tags.py",
            "leadtracker/leads/actions/merge.py",
            "leadtracker/leads/actions/saved_views.py",
            "leadtracker/leads/actions/assignment.py",
            "leadtracker/leads/api/leads.py",
            "leadtracker/leads/api/lookups.py",
            "leadtracker/leads/api/settings.py",
            "leadtracker/leads/api/consent.py",
        ),
    ),
    Area(
        "leads: settings (pipeline, sources, rules, tags, webhooks), imports, custom fields, questions",
        "leadtracker/leads/locale",
        (
            f"{T}/leads/settings.html",
            "leadtracker/leads/views/settings.py",
            "leadtracker/leads/actions/settings.py",
            "leadtracker/leads/confirm.py",
            "leadtracker/leads/colours.py",
            "leadtracker/leads/webhooks.py",
            f"{T}/leads/import_upload.html",
            f"{T}/leads/import_detail.html",
            f"{T}/leads/_import_progress.html",
            f"{T}/leads/_import_values.html",
            "leadtracker/leads/views/imports.py",
            "leadtracker/leads/api/imports.py",
            "leadtracker/leads/imports/jobs.py",
            "leadtracker/leads/imports/mapping.py",
            "leadtracker/leads/imports/reader.py",
            "leadtracker/leads/imports/writer.py",
            "leadtracker/leads/fields",
            "leadtracker/leads/imports/importer.py",
            "leadtracker/leads/consent.py",
            "leadtracker/leads/capture.py",
            "leadtracker/leads/trash/actions.py",
            "leadtracker/leads/api/trash.py",
            "leadtracker/leads/reminders.py",
        ),
    ),
    Area(
        "automation: the rules, the rule builder and editor, the rule log, a rule's notification",
        "leadtracker/automation/locale",
        (f"{T}/automation", "leadtracker/automation"),
    ),
    Area(
        "integrations: the connectors, their health, payload log and settings, the field mapping, Call via",
        "leadtracker/integrations/locale",
        (f"{T}/integrations", "leadtracker/integrations"),
    ),
    Area(
        "privacy: the notice, data requests, access exports, erasure, legal holds, retention",
        "leadtracker/privacy/locale",
        (f"{T}/privacy", "leadtracker/privacy"),
    ),
]

# What is still in English only. Each entry is the sources of an area not yet translated.
NOT_YET_TRANSLATED: list[str] = []

CHECKED_ATTRIBUTES = {"placeholder", "title", "aria-label", "alt"}
BUTTON_TYPES = {"submit", "button", "reset"}
VARIABLE, TRANSLATED_TAG = "\x01", "\x02"
WORDS = re.compile(r"[^\W\d_]")
OPENS = {"blocktranslate": "endblocktranslate", "blocktrans": "endblocktrans", "comment": "endcomment"}


def _untranslated_skeleton(source: str) -> str:
    """The template with its tags removed, variables and translated strings replaced by markers
    that hold no letters: what letters remain are text nobody marked."""
    out, closing = [], None
    for token in Lexer(source).tokenize():
        word = token.contents.split(" ", 1)[0] if token.token_type == TokenType.BLOCK else ""
        if closing:
            closing = None if word == closing else closing
            continue
        if token.token_type == TokenType.TEXT:
            out.append(token.contents)
        elif token.token_type == TokenType.VAR:
            out.append(VARIABLE)
        elif word in OPENS:
            closing = OPENS[word]
            out.append(TRANSLATED_TAG if word != "comment" else "")
        elif word in {"translate", "trans"}:
            out.append(TRANSLATED_TAG)
    return "".join(out)


class _VisibleText(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.hidden_depth = 0
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in {"script", "style"}:
            self.hidden_depth += 1
        attrs = dict(attrs)
        checked = set(CHECKED_ATTRIBUTES)
        if tag == "button" or (tag == "input" and attrs.get("type") in BUTTON_TYPES):
            checked.add("value")
        for name in checked & set(attrs):
            self._check(f'{name}="{attrs[name]}"', attrs[name] or "")

    def handle_endtag(self, tag):
        if tag in {"script", "style"}:
            self.hidden_depth = max(0, self.hidden_depth - 1)

    def handle_data(self, data):
        if not self.hidden_depth:
            self._check(data.strip(), data)

    def _check(self, shown, text):
        if WORDS.search(text.replace(VARIABLE, "").replace(TRANSLATED_TAG, "")):
            self.found.append(shown.replace(VARIABLE, "{{…}}").replace(TRANSLATED_TAG, "{% translate %}"))


def unmarked_in_template(path: Path) -> list[str]:
    skeleton = _untranslated_skeleton(path.read_text(encoding="utf-8"))
    if path.suffix == ".txt":  # an e-mail's text: all of it is read
        rest = skeleton.replace(VARIABLE, "").replace(TRANSLATED_TAG, "")
        return [line.strip() for line in rest.splitlines() if WORDS.search(line)]
    parser = _VisibleText()
    parser.feed(skeleton)
    parser.close()
    return parser.found


# The calls whose string argument a person reads (index of that argument), and the keywords.
# _act is the lead page's "do it, then say so" helper: its fourth argument is the message shown.
MESSAGE_ARGUMENT = {"ActionError": 0, "Conflict": 0, "ValidationError": 0, "HttpError": 1, "_act": 3}
MESSAGE_METHODS = {"success", "error", "warning", "info"}
SHOWN_KEYWORDS = {"label", "help_text", "empty_label"}
# A confirm.Question's words: the page that asks before a deletion.
QUESTION_KEYWORDS = {"title", "button", "details"}


def _is_bare_text(node) -> bool:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return bool(WORDS.search(node.value))
    if isinstance(node, ast.JoinedStr):
        return any(_is_bare_text(part) for part in node.values)
    if isinstance(node, ast.BinOp):
        return _is_bare_text(node.left) or _is_bare_text(node.right)
    if isinstance(node, (ast.List, ast.Tuple)):
        return any(_is_bare_text(item) for item in node.elts)
    return False


def unmarked_in_python(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call):
            continue
        name = getattr(node.func, "id", None) or getattr(node.func, "attr", "")
        shown = []
        if name in MESSAGE_ARGUMENT and len(node.args) > MESSAGE_ARGUMENT[name]:
            shown.append(node.args[MESSAGE_ARGUMENT[name]])
        if name in MESSAGE_METHODS and getattr(node.func, "value", None) is not None:
            if getattr(node.func.value, "id", "") == "messages" and len(node.args) > 1:
                shown.append(node.args[1])
        keywords = SHOWN_KEYWORDS | QUESTION_KEYWORDS if name == "Question" else SHOWN_KEYWORDS
        shown += [k.value for k in node.keywords if k.arg in keywords]
        found += [f"line {n.lineno}: {ast.unparse(n)[:80]}" for n in shown if _is_bare_text(n)]
    return found


def _area_id(area):
    return area.name


@pytest.mark.parametrize("area", TRANSLATED, ids=_area_id)
def test_every_visible_string_is_marked(area):
    unmarked = {}
    for file in catalogues.source_files(area.sources):
        check = unmarked_in_python if file.suffix == ".py" else unmarked_in_template
        if found := check(file):
            unmarked[str(file.relative_to(ROOT))] = found
    assert not unmarked, f"text a person reads, not marked for translation: {unmarked}"


def _catalogues():
    by_locale: dict[str, list[str]] = {}
    for area in TRANSLATED:
        by_locale.setdefault(area.locale, []).extend(area.sources)
    return sorted(by_locale.items())


@pytest.mark.parametrize(("locale", "sources"), _catalogues(), ids=[loc for loc, _ in _catalogues()])
def test_the_hindi_catalogue_has_every_string_and_no_stale_one(locale, sources):
    marked = catalogues.extract_from(sources)
    catalogue = catalogues.read_catalogue(catalogues.po_path(locale))
    held = {(m.context, m.id[0] if isinstance(m.id, tuple) else m.id): m for m in catalogue if m.id}
    missing = [
        f"{k[1]!r} ({marked[k][1][0]})"
        for k in marked
        if k not in held or not catalogues.is_translated(held[k])
    ]
    stale = [repr(k[1]) for k in held if k not in marked] + [repr(m.id) for m in catalogue.obsolete.values()]
    fix = f"python -m leadtracker.lib.catalogues update {locale} {' '.join(sources)}"
    assert not missing and not stale, f"{locale}: no Hindi for {missing}; stale {stale}. Run: {fix}"


def test_the_check_finds_text_outside_translation_tags(tmp_path):
    page = tmp_path / "page.html"
    page.write_text(
        '{% load i18n %}<h1>{% translate "Leads" %}</h1><p>{{ lead.name }} · 12</p>'
        '{% blocktranslate %}Call {{ name }}{% endblocktranslate %}<script>let x = "hi";</script>'
        '<input placeholder="Search leads"><button value="Go">{% translate "Save" %}</button>'
        "{# a comment #}<p>Call back</p>"
    )
    assert unmarked_in_template(page) == ['placeholder="Search leads"', 'value="Go"', "Call back"]


def test_the_check_finds_bare_python_messages(tmp_path):
    module = tmp_path / "actions.py"
    module.write_text(
        "raise ActionError(_('may not be empty'), field='name')\n"
        "raise ActionError(f'unknown zone {zone!r}', field='time_zone')\n"
        "messages.success(request, 'Saved.')\n"
        "forms.CharField(label=_('Name'), help_text='What uses it')\n"
        "Question(title=_('Delete it?'), button=_('Delete'), details=[_('It goes.'), 'It stays.'])\n"
        "_act(request, lead_id, fn, 'Merged.')\n"
    )
    found = [line.split(":")[0] for line in unmarked_in_python(module)]
    assert found == ["line 2", "line 3", "line 4", "line 5", "line 6"]
