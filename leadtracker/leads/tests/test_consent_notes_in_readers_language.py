"""The notes the system writes on a consent event (a merge, an unsubscribe while in the trash)
read in the reader's language (issue 20 §3); the event keeps its English words (it is an
append-only record), and a note a person typed is shown as they wrote it."""

from html import unescape

from leadtracker.accounts.audit import Actor
from leadtracker.leads.consent import NOTE_MERGED, lead_consent_changed
from leadtracker.leads.models import ConsentEvent, ConsentMethod
from leadtracker.testing import hindi_client, login_client, make_lead


def _panel(client, lead) -> str:
    return " ".join(unescape(client.get(f"/leads/{lead.pk}/").content.decode()).split())


def test_a_system_note_reads_in_the_readers_language_and_a_persons_as_written(acme):
    lead = make_lead(acme, name="Asha Rao", marketing_consent=True)
    system = Actor.for_user(acme.olga.user)
    lead_consent_changed(lead, method=ConsentMethod.MERGE, actor=system, note=NOTE_MERGED % {"lead": 41})
    lead_consent_changed(lead, method=ConsentMethod.PHONE, actor=system, note="said yes on the call")
    assert ConsentEvent.objects.filter(note="merged with lead 41, which had no marketing consent").exists()
    english = _panel(login_client(acme.olga), lead)
    assert "merged with lead 41, which had no marketing consent" in english
    hindi = _panel(hindi_client(acme.olga), lead)
    assert "लीड 41 से मिलाई गई, जिसकी मार्केटिंग की सहमति नहीं थी" in hindi
    assert "which had no marketing consent" not in hindi and "said yes on the call" in hindi
