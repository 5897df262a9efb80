"""A JustDial lead's first note is in its organisation's language (issue 20 §3): the note is the
lead's own text, which a person edits later, so it is written as words when the lead is made —
Hindi for a Hindi-default organisation, English for an English one."""

from leadtracker.integrations.justdial.tests.test_justdial_push import push
from leadtracker.integrations.models import Payload
from leadtracker.integrations.tests.util import connector, hook_path, work_off
from leadtracker.leads.models import Lead


def _made_from(people, client, body) -> str:
    made, generated = connector(people, "justdial")
    assert client.post(f"{hook_path(made)}?secret={generated['secret']}", body).content == b"RECEIVED"
    work_off()
    lead = Lead.objects.get(organisation=people.org)
    return "\n".join(lead.activities.values_list("body", flat=True))


def _speaks(people, language: str) -> None:
    people.org.language = language
    people.org.save(update_fields=["language"])


def test_a_hindi_organisations_lead_gets_its_notes_in_hindi(acme, client):
    _speaks(acme, "hi")
    notes = _made_from(acme, client, push(1, phone="n/a", email="not-an-address"))
    assert "JustDial से Interior Designers के लिए पूछताछ, Kothrud, Pune, 411038 से।" in notes
    assert "लीड का टाइप: company।" in notes
    assert "आपकी Baner वाली ब्रांच के लिए।" in notes
    assert "यह नंबर DND में है: सिर्फ़ इसी पूछताछ के बारे में कॉल करें।" in notes
    assert "एक और नंबर दिया: n/a" in notes
    assert "ई-मेल दिया (पर पता सही नहीं): not-an-address" in notes
    for english in ("enquiry", "Lead type", "branch", "DND registry", "given"):
        assert english not in notes


def test_an_english_organisations_lead_gets_its_notes_in_english(acme, client):
    _speaks(acme, "en-in")
    notes = _made_from(acme, client, push(2, phone="n/a", category="", brancharea="", dncmobile="0"))
    assert "JustDial enquiry from Kothrud, Pune, 411038." in notes
    assert "Lead type: company." in notes
    assert "Another number given: n/a" in notes
    assert "branch" not in notes and "DND" not in notes


def test_an_error_after_the_notes_still_reads_in_each_readers_language(acme, client):
    # Writing the notes in Hindi switches language inside the worker's recording(): the error
    # raised after it (the lead's own number is no number) must still be kept as what to say.
    _speaks(acme, "hi")
    made, generated = connector(acme, "justdial")
    client.post(f"{hook_path(made)}?secret={generated['secret']}", push(3, mobile="not a number"))
    [payload] = work_off()
    assert payload.status == "failed"
    assert payload.error.startswith("phone: 'not a number' is not a phone number")  # the record
    # Its recipe, not its words frozen in one language (which a plain override would leave).
    assert payload.error_said["values"]["why"]["id"] == "%(raw)s is %(reason)s"
    assert not Lead.objects.exists() and Payload.objects.count() == 1
