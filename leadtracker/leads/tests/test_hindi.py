"""The leads pages in Hindi (issue 20 §3): the list, the lead page and the new-lead form show the
words of leads/locale/hi, with no English left in their headings and buttons, and a lead refused
over a bad number says why in Hindi on the form. The catalogue itself: every entry translated,
none fuzzy, and each Hindi string keeps the placeholders of its English one."""

from pathlib import Path

import pytest
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from django.utils import translation
from django.utils.translation import trans_real

from leadtracker.accounts.models import User
from leadtracker.leads.models import Lead

PO = Path(__file__).resolve().parents[1] / "locale" / "hi" / "LC_MESSAGES" / "django.po"


def _catalogue():
    with PO.open("rb") as handle:
        return read_po(handle, locale="hi", domain="django")


@pytest.fixture(autouse=True)
def compiled_catalogue():
    """Django reads the .mo; `make install` writes it from the .po. A checkout that has not run
    it since the .po changed gets it written here, and Django's loaded catalogues forgotten."""
    mo = PO.with_suffix(".mo")
    if not mo.exists() or mo.stat().st_mtime < PO.stat().st_mtime:
        with mo.open("wb") as handle:
            write_mo(handle, _catalogue(), use_fuzzy=False)
        trans_real._translations = {}
        trans_real._default = None


@pytest.fixture
def in_hindi():
    """A person who reads Hindi: their own choice where accounts keeps one, and the active
    language (what a page without the language middleware renders in)."""

    def choose(member):
        if any(f.name == "language" for f in User._meta.get_fields()):
            User.objects.filter(pk=member.user_id).update(language="hi")

    with translation.override("hi"):
        yield choose


def test_the_catalogue_is_complete_and_keeps_every_placeholder():
    catalogue = _catalogue()
    entries = [m for m in catalogue if m.id]
    assert len(entries) > 200
    assert not [m.id for m in entries if m.fuzzy]
    untranslated = [
        m.id for m in entries if not all(m.string if isinstance(m.string, tuple) else (m.string,))
    ]
    assert not untranslated
    # Babel's checks: a python-format msgstr with other placeholders than its msgid fails here.
    problems = [(m.id, [str(e) for e in errors]) for m, errors in catalogue.check()]
    assert not problems


def test_the_list_is_in_hindi(acme, new_lead, as_member, in_hindi):
    in_hindi(acme.maya)
    new_lead(acme, name="Raj Kumar", phones=["98765 43210"], by=acme.maya)
    page = as_member(acme.maya).get("/leads/").content.decode()
    for hindi in ("<h1>लीड</h1>", "+ जोड़ें", "फ़िल्टर", "<strong>1</strong> लीड", "स्टेटस", "कॉल"):
        assert hindi in page, hindi
    for english in ("<h1>Leads</h1>", "+ Add", ">Filter", "lead\n", "Save view", ">Status<", ">Call<"):
        assert english not in page, english


def test_the_lead_page_is_in_hindi(acme, new_lead, as_member, in_hindi):
    in_hindi(acme.alice)
    lead = new_lead(acme, name="Raj Kumar", phones=["98765 43210"], by=acme.alice)
    page = as_member(acme.alice).get(f"/leads/{lead.pk}/").content.decode()
    for hindi in ("अगला फ़ॉलो-अप", "टाइमलाइन", "नोट जोड़ें", "नतीजा लिखें", "फ़ॉलो-अप रखें", "लीड बनी"):
        assert hindi in page, hindi
    for english in (
        "Next follow-up",
        ">Timeline<",
        ">Edit<",
        ">Add note<",
        "Log outcome",
        "Plan a follow-up",
    ):
        assert english not in page, english


def test_the_new_lead_form_is_in_hindi_and_says_a_bad_number_in_hindi(acme, as_member, in_hindi):
    in_hindi(acme.alice)
    client = as_member(acme.alice)
    page = client.get("/leads/new/").content.decode()
    for hindi in ("<h1>नई लीड</h1>", "लीड बनाएँ", "फ़ोन नंबर", "कंपनी"):
        assert hindi in page, hindi
    for english in ("New lead", "Create lead", "Phone numbers", ">Company<"):
        assert english not in page, english

    refused = client.post("/leads/new/", {"name": "Raj", "phones": "12345"})
    assert refused.status_code == 200
    assert "&#x27;12345&#x27; सही नंबर नहीं है" in refused.content.decode()
    assert not Lead.objects.filter(organisation=acme.org).exists()
