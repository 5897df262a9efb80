"""`leadtracker privacy replay-erasures`: the ledger file and table are joined (each gets what it
lacks), and whoever in the database matches an entry is erased again — once: a second replay
finds nothing. Entries made under another key are counted, not matched."""

import json

import pytest
from django.core.management import call_command

from leadtracker.accounts.audit import Actor
from leadtracker.accounts.models import User
from leadtracker.leads.models import Lead
from leadtracker.privacy.erasure import ledger
from leadtracker.privacy.erasure.actions import erase_lead, erase_member
from leadtracker.privacy.erasure.replay import replay_erasures
from leadtracker.privacy.models import ErasureRecord
from leadtracker.testing import make_lead


@pytest.fixture
def ledger_file(settings, tmp_path):
    settings.ERASURE_LEDGER_PATH = tmp_path / "ledger.jsonl"
    return settings.ERASURE_LEDGER_PATH


def test_the_ledger_holds_keyed_hashes_only(acme, ledger_file, django_capture_on_commit_callbacks):
    lead = make_lead(
        acme, name="Deepa Nair", phone="+919855555555", email="Deepa@Example.in", actor=Actor.system()
    )
    with django_capture_on_commit_callbacks(execute=True):
        erase_lead(lead, actor=Actor.for_user(acme.olga.user), by=acme.olga)
    record = ErasureRecord.objects.get()
    expected = sorted(
        [
            ledger.identifier_hash("phone", "+919855555555"),
            ledger.identifier_hash("email", "deepa@example.in"),
        ]
    )
    assert record.identifier_hashes == expected and record.key_id == ledger.key_id()
    assert record.erased_by_id == acme.olga.user_id and record.counts["phones"] == 1
    line = json.loads(ledger_file.read_text())
    assert line["hashes"] == expected and line["org_slug"] == "acme" and line["kind"] == "lead"
    assert "Deepa" not in ledger_file.read_text() and "9855555555" not in ledger_file.read_text()
    # Keyed: the plain SHA-256 of the number is not what is stored (numbers are few enough to guess).
    import hashlib

    assert hashlib.sha256(b"phone:+919855555555").hexdigest() not in expected


def test_replay_erases_a_person_who_came_back_and_is_idempotent(
    acme, globex, ledger_file, django_capture_on_commit_callbacks
):
    lead = make_lead(
        acme, name="Vikram Singh", phone="+919866666666", email="vikram@example.in", actor=Actor.system()
    )
    with django_capture_on_commit_callbacks(execute=True):
        erase_lead(lead, actor=Actor.system())
    # As an older backup would bring them back: the same number and e-mail on a live lead, and
    # the ledger row missing from the table (the file still has it).
    back = make_lead(
        acme, name="Vikram Singh", phone="98666 66666", email="VIKRAM@example.in", actor=Actor.system()
    )
    same_number_elsewhere = make_lead(
        globex, name="Another Vikram", phone="+919866666666", actor=Actor.system()
    )
    ErasureRecord.objects.all().delete()

    result = replay_erasures()

    assert result["leads"] == 1 and result["rows_restored"] == 1 and result["lines_appended"] == 0
    back.refresh_from_db()
    assert back.erased_at is not None and back.name == "" and not back.phones.exists()
    # Another organisation's lead with the same number is not theirs to erase.
    assert Lead.objects.get(pk=same_number_elsewhere.pk).name == "Another Vikram"
    again = replay_erasures()
    assert again["leads"] == 0 and again["rows_restored"] == 0 and again["entries"] == 1


def test_replay_writes_table_entries_missing_from_the_file(acme, ledger_file, capsys):
    # A crash between commit and the file append: the table has it, the file does not.
    erase_lead(
        make_lead(acme, name="Ravi Teja", phone="+919877777777", actor=Actor.system()), actor=Actor.system()
    )
    assert not ledger_file.exists()
    call_command("privacy", "replay-erasures", "--org", "acme")
    out = capsys.readouterr().out
    assert "lines appended: 1" in out and "leads: 0" in out
    assert len(ledger_file.read_text().splitlines()) == 1


def test_replay_of_a_member_and_entries_under_another_key(
    acme, ledger_file, settings, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        erase_member(acme.bob, actor=Actor.for_user(acme.olga.user), by=acme.olga)
    bob = User.objects.get(pk=acme.bob.user_id)
    assert bob.email.endswith("@erased.invalid") and not bob.is_active and not bob.has_usable_password()
    # An older backup: Bob's profile is back.
    User.objects.filter(pk=bob.pk).update(email="bob@acme.test", full_name="Bob Acme", is_active=True)
    assert replay_erasures()["members"] == 1
    assert User.objects.get(pk=bob.pk).email.endswith("@erased.invalid")

    settings.ERASURE_LEDGER_KEY = "a-new-key-after-a-leak"
    User.objects.filter(pk=bob.pk).update(email="bob@acme.test")
    result = replay_erasures()
    assert result["other_key"] == 1 and result["members"] == 0


def test_unknown_organisation_names_the_option(acme, ledger_file):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="--org"):
        call_command("privacy", "replay-erasures", "--org", "nope")
