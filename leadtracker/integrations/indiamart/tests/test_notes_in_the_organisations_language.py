"""An IndiaMART lead's first note is in its organisation's language (issue 20 §3): the kind of
enquiry, where the buyer is, their other e-mail and number — the lead's own text, edited later as
words, so written when the lead is made. The buyer's own message stays as they wrote it."""

import datetime as dt

from leadtracker.integrations.indiamart.tests.fake_indiamart import enquiry
from leadtracker.integrations.tests.util import connector, post_json, work_off
from leadtracker.leads.models import Lead

AT = dt.datetime(2026, 12, 6, 8, 0, tzinfo=dt.UTC)


def _made_from(people, client, **fields) -> str:
    made, _ = connector(people, "indiamart")  # push only: no key
    sent = enquiry(5, at=AT, **fields)
    assert post_json(client, made, {"CODE": 200, "STATUS": "SUCCESS", "RESPONSE": sent}).status_code == 200
    work_off()
    lead = Lead.objects.get(organisation=people.org)
    return "\n".join(lead.activities.values_list("body", flat=True))


def _speaks(people, language: str) -> None:
    people.org.language = language
    people.org.save(update_fields=["language"])


EXTRA = {"SENDER_MOBILE_ALT": "n/a", "SENDER_EMAIL_ALT": "office@buyer.in"}


def test_a_hindi_organisations_lead_gets_its_notes_in_hindi(acme, client):
    _speaks(acme, "hi")
    notes = _made_from(acme, client, QUERY_TYPE="B", **EXTRA)
    assert "IndiaMART: Steel Almirah के बारे में IndiaMART पर ख़रीदी हुई BuyLead।" in notes
    assert "Pune, Maharashtra, 411001 से।" in notes
    assert "दूसरा ई-मेल: office@buyer.in" in notes
    assert "एक और नंबर दिया: n/a" in notes
    assert "I want to buy Steel Almirah.\nQuantity: 10 Piece" in notes  # the buyer's words
    for english in ("BuyLead you bought", "From ", "Other e-mail", "given"):
        assert english not in notes


def test_an_english_organisations_lead_gets_its_notes_in_english(acme, client):
    _speaks(acme, "en-in")
    notes = _made_from(acme, client, QUERY_TYPE="P", **EXTRA)
    assert "IndiaMART phone call to your IndiaMART number (PNS) about Steel Almirah." in notes
    assert "From Pune, Maharashtra, 411001." in notes
    assert "Other e-mail: office@buyer.in" in notes
    assert "Another number given: n/a" in notes


def test_a_kind_it_does_not_know_is_named_by_its_code(acme, client):
    _speaks(acme, "hi")
    notes = _made_from(acme, client, QUERY_TYPE="XQ", QUERY_PRODUCT_NAME="", QUERY_MCAT_NAME="")
    assert "IndiaMART: XQ तरह की पूछताछ।" in notes
