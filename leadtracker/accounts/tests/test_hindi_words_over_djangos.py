"""Django's own Hindi catalogues (admin, auth) come before ours in the merge and hold the same
common English words in another register ("सुरक्षित कीजिये", "कूटशब्द", "छन्नी"): accounts' buttons
and labels take a context, so a Hindi reader sees our everyday words."""

from django.test import Client
from django.utils import translation

from leadtracker.accounts.models import User
from leadtracker.lib import catalogues

DJANGOS = ("सुरक्षित कीजिये", "कूटशब्द", "छन्नी", "लॉगिन", "सक्रिय", ">कार्य<")


def test_every_accounts_string_reads_as_its_own_catalogue_says():
    """Whatever the merge: each msgid of accounts' catalogue comes out as its msgstr."""
    differ = []
    with translation.override("hi"):
        for m in catalogues.read_catalogue(catalogues.po_path("leadtracker/accounts/locale")):
            if not m.id or isinstance(m.id, tuple):
                continue
            got = translation.pgettext(m.context, m.id) if m.context else translation.gettext(m.id)
            if got != m.string:
                differ.append((m.context, m.id, got))
    assert not differ


def test_the_pages_buttons_use_our_words(acme, as_member):
    login = Client().get("/login/", HTTP_ACCEPT_LANGUAGE="hi").content.decode()
    assert '<button type="submit">लॉग इन</button>' in login and "पासवर्ड" in login
    User.objects.filter(pk__in=[acme.olga.user_id]).update(language="hi")
    client = as_member(acme.olga)
    pages = [client.get(path).content.decode() for path in ("/profile/", "/members/", "/audit/")]
    assert "सेव करें" in pages[0] and "चालू" in pages[1] and "छाँटें" in pages[2]
    for page in pages + [login]:
        assert not [word for word in DJANGOS if word in page]


def test_accounts_does_not_overrule_a_later_apps_word():
    """accounts is the first of our apps in INSTALLED_APPS: a msgid it shares with a later app
    takes accounts' Hindi there too, so the two must agree (or take different contexts, as the
    audit log's "From" — an address — and a date range's "From" do)."""
    ours = {
        (m.context, m.id): m.string
        for m in catalogues.read_catalogue(catalogues.po_path("leadtracker/accounts/locale"))
        if m.id and not isinstance(m.id, tuple)
    }
    clashes = []
    for po in sorted(catalogues.ROOT.glob("leadtracker/*/locale/hi/LC_MESSAGES/django.po")):
        if po.parts[-5] == "accounts":
            continue
        for m in catalogues.read_catalogue(po):
            key = (m.context, m.id)
            if key in ours and m.string and m.string != ours[key]:
                clashes.append((po.parts[-5], *key, m.string, ours[key]))
    assert not clashes
