"""The "came back" note a connector writes on an existing lead's timeline reads in the reader's
language (issue 20 §3): its sentence is kept as what to say, rendered when the page is read;
what the enquirer wrote stays as they wrote it. A note written before shows as stored."""

from html import unescape

from leadtracker.accounts.audit import Actor
from leadtracker.integrations.actions import receive_payload
from leadtracker.integrations.tests.util import CAME_BACK_BODY, connector, work_off
from leadtracker.leads.models import Activity, ActivityKind
from leadtracker.privacy.erasure.actions import erase_lead
from leadtracker.testing import hindi_client, login_client, make_lead


def _text(client, lead) -> str:
    return " ".join(unescape(client.get(f"/leads/{lead.pk}/").content.decode()).split())


def test_came_back_reads_in_the_readers_language(acme):
    known = make_lead(acme, name="Kavita Nair", phone="98765 11122", owner=acme.alice)
    hook, _ = connector(acme, "google-ads")
    receive_payload(hook, "g-2", CAME_BACK_BODY)
    work_off()
    note = Activity.objects.get(lead=known, data__came_back=hook.pk)
    assert note.body.startswith("Came back through Google Ads: form 4.\n")  # the record, in English
    english = _text(login_client(acme.olga), known)
    assert "Came back through Google Ads: form 4.<br>" in english and "Budget: 50 lakh" in english
    hindi = _text(hindi_client(acme.olga), known)
    assert "Google Ads: form 4 से फिर से आई।<br>" in hindi and "Budget: 50 lakh" in hindi
    assert "Came back through" not in hindi


def test_a_note_written_before_shows_as_stored(acme):
    known = make_lead(acme, name="Kavita Nair", phone="98765 11122", owner=acme.alice)
    Activity.objects.create(
        organisation=acme.org,
        lead=known,
        kind=ActivityKind.NOTE,
        body="Came back through IndiaMART.\nSteel Almirah",
        data={"came_back": 1, "payload": 1},
    )
    hindi = _text(hindi_client(acme.olga), known)
    assert "Came back through IndiaMART.<br>Steel Almirah" in hindi


def test_erasure_leaves_no_sentence_to_render(acme, settings, tmp_path):
    settings.PRIVATE_FILES_DIR = tmp_path / "private"
    settings.ERASURE_LEDGER_PATH = tmp_path / "ledger.jsonl"
    known = make_lead(acme, name="Kavita Nair", phone="98765 11122", owner=acme.alice)
    hook, _ = connector(acme, "google-ads")
    receive_payload(hook, "g-2", CAME_BACK_BODY)
    work_off()
    erase_lead(known, actor=Actor.for_user(acme.olga.user))
    note = Activity.objects.get(lead=known, data__came_back=hook.pk)
    assert note.body == "" and "said" not in note.data
