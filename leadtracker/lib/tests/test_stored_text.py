"""A text stored now is read later in the reader's language (lib/stored_text.py)."""

import json

import pytest
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext, pgettext

from leadtracker.lib.stored_text import english, recipe_of, recording, reread, shown, stored, written_in

pytestmark = pytest.mark.same_on_every_database(reason="translates texts, reads no database")


def test_a_stored_text_reads_in_each_readers_language():
    text = stored(gettext_noop("is more than %(span)s in the future"), span="5")
    assert json.loads(json.dumps(text)) == text  # what a JSON field keeps
    assert english(text) == "is more than 5 in the future"
    with translation.override("hi"):
        assert shown(text, "old words") == "5 से ज़्यादा आगे का है"
    with translation.override("en-in"):
        assert shown(text, "old words") == "is more than 5 in the future"


def test_a_row_without_one_shows_its_words_as_stored():
    with translation.override("hi"):
        assert shown(None, "Came back through IndiaMART.") == "Came back through IndiaMART."
        assert shown({}, "as stored") == "as stored"
        # A value the msgstr does not name: the words kept, not a page that fails.
        assert shown({"id": "is more than %(span)s in the future", "values": {}}, "kept") == "kept"


def test_recording_keeps_what_gettext_was_asked_in_the_active_language():
    with translation.override("hi"), recording():
        plain = _("no such source")
        filled = _("is more than %(span)s in the future") % {"span": _("no such source")}
        in_context = pgettext("a form field", "Password")
        counted = ngettext("%(count)s lead", "%(count)s leads", 3) % {"count": 3}
        joined = f"{plain}!"
    assert plain == "ऐसा कोई सोर्स नहीं"  # the words are the active language's, as before
    assert in_context == "पासवर्ड"
    assert recipe_of(joined) is None  # words put together outside gettext have no recipe
    assert recipe_of("no such source") is None
    saved = json.loads(json.dumps([recipe_of(t) for t in (plain, filled, in_context, counted)]))
    assert saved[1] == {
        "id": "is more than %(span)s in the future",
        "values": {"span": {"id": "no such source"}},
    }
    assert [english(t) for t in saved] == [
        "no such source",
        "is more than no such source in the future",
        "Password",
        "3 leads",
    ]
    with translation.override("hi"):
        assert shown(saved[1]) == "ऐसा कोई सोर्स नहीं से ज़्यादा आगे का है"
        assert shown(saved[2]) == "पासवर्ड"


def test_recording_ends_with_the_language_it_began_with():
    with translation.override("hi"):
        with recording():
            pass
        assert translation.get_language() == "hi" and recipe_of(_("no such source")) is None
    with recording():
        assert translation.get_language() == "en-in"
    assert recipe_of(_("no such source")) is None


def test_words_written_in_a_language_leave_the_recording_around_them_recording():
    with recording():
        with written_in("hi"):
            words = _("no such source")
            assert words == "ऐसा कोई सोर्स नहीं" and recipe_of(words) is None  # words, for a note
        # translation.override would have put back a plain translation here: nothing recorded.
        assert translation.get_language() == "en-in"
        assert recipe_of(_("no such source")) == {"id": "no such source"}
    with written_in("hi"):
        pass
    assert translation.get_language() == "en-in" and recipe_of(_("no such source")) is None


def test_reread_translates_the_systems_english_and_leaves_a_persons_words():
    msgids = ("is more than %(span)s in the future", "no such source")
    with translation.override("hi"):
        assert reread("is more than 2 days in the future", msgids) == "2 days से ज़्यादा आगे का है"
        assert reread("no such source", msgids) == "ऐसा कोई सोर्स नहीं"
        assert reread("no such source here", msgids) == "no such source here"  # the whole words only
        assert reread("", msgids) == ""
