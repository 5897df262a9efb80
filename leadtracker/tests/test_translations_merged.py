"""What a Hindi reader sees is our catalogue's Hindi, not another catalogue's (issue 20 §3).

Django merges every catalogue into one per language: LOCALE_PATHS first, then the apps in
INSTALLED_APPS' order, then Django's own; for a msgid without a context the first one that has
it wins. django.contrib.admin and auth come before our apps, so their words for "Save", "Add"
or "Password" (सुरक्षित कीजिये, बढाएं, कूटशब्द) would win over ours; and two of our apps giving one
msgid different Hindi show one of them everywhere. settings.LOCALE_PATHS lists our catalogues,
so ours win over Django's; and the test below finds a msgid two of ours translate differently
(give it a context, or the same words).
"""

import pytest
from django.conf import settings
from django.utils import translation

from leadtracker.lib import catalogues

pytestmark = pytest.mark.same_on_every_database(reason="reads catalogues, not the database")


def _ours():
    for po in sorted((catalogues.ROOT / "leadtracker").rglob("locale/hi/LC_MESSAGES/django.po")):
        for message in catalogues.read_catalogue(po):
            if message.id and catalogues.is_translated(message):
                yield str(po.relative_to(catalogues.ROOT)), message


def _as_read(message) -> list[tuple[str, str]]:
    """(what gettext gives under hi, our msgstr) for the message, each plural form's too."""
    if isinstance(message.id, tuple):
        singular, plural = message.id[:2]
        return [
            (translation.npgettext(message.context, singular, plural, n), message.string[i])
            if message.context
            else (translation.ngettext(singular, plural, n), message.string[i])
            for i, n in ((0, 1), (1, 2))
        ]
    if message.context:
        return [(translation.pgettext(message.context, message.id), message.string)]
    return [(translation.gettext(message.id), message.string)]


def test_every_msgid_of_ours_reads_as_our_hindi():
    catalogues.compile_all()  # a .po edited since `make install` is what is checked
    translation.trans_real._translations.clear()
    shadowed, checked = [], 0
    with translation.override("hi"):
        for where, message in _ours():
            for got, ours in _as_read(message):
                checked += 1
                if got != ours:
                    shadowed.append(
                        f"{where}: {message.context or ''}|{message.id!r}: {ours!r} reads {got!r}"
                    )
    assert checked > 2000
    assert not shadowed, "another catalogue's Hindi wins:\n" + "\n".join(shadowed)


def test_every_catalogue_of_ours_is_in_locale_paths():
    # In LOCALE_PATHS a catalogue wins over every app's, django.contrib.admin's and auth's too.
    held = {p.resolve() for p in settings.LOCALE_PATHS}
    ours = {
        po.parents[2].resolve()
        for po in (catalogues.ROOT / "leadtracker").rglob("locale/hi/LC_MESSAGES/django.po")
    }
    assert len(ours) >= 9
    assert ours <= held, f"not in LOCALE_PATHS: {sorted(map(str, ours - held))}"
