"""`leadtracker privacy export --org SLUG (--phone N | --email E) --out FILE.zip`: the number in
any format finds the lead by any of its numbers; clear errors name the option."""

import pytest
from django.core.management import CommandError, call_command

from leadtracker.accounts.models import AuditEvent
from leadtracker.privacy.tests.export_util import lead_with_history, read_zip

WORDS = ["Amber", "Banyan", "Cobalt", "Dahlia", "Ember", "Fennel", "Garnet", "Hazel", "Indigo", "Jasmine"]


@pytest.fixture
def ravi(acme):
    lead, *_ = lead_with_history(
        acme,
        name="Ravi Kumar",
        phones=["+919876543210", "+919812345678"],
        email="ravi@example.in",
        words=WORDS,
    )
    return lead


def export(tmp_path, *args):
    out = tmp_path / "person.zip"
    call_command("privacy", "export", "--org", "acme", *args, "--out", str(out))
    return read_zip(out.read_bytes())


@pytest.mark.parametrize("number", ["+91 98765 43210", "098765-43210", "9876543210", "(0)98123 45678"])
def test_the_phone_in_any_format_finds_the_lead(ravi, tmp_path, number):
    person, tables = export(tmp_path, "--phone", number)
    assert person["about"]["subject"] == {"kind": "lead", "id": ravi.pk}
    assert {r["note"] for r in tables["calls"]} == {"Call Indigo", "Call Jasmine"}
    event = AuditEvent.objects.get(action="access_export.written")
    assert event.object_id == str(ravi.pk) and event.changes["counts"]["calls"] == 2


def test_the_email_in_any_case_finds_the_lead(ravi, tmp_path):
    person, _ = export(tmp_path, "--email", "Ravi@Example.IN")
    assert person["about"]["subject"]["id"] == ravi.pk


def test_a_member_by_email_or_phone(acme, tmp_path):
    acme.bob.user.phone = "+919811122233"
    acme.bob.user.save(update_fields=["phone"])
    person, _ = export(tmp_path, "--email", "bob@acme.test")
    assert person["about"]["subject"] == {"kind": "member", "id": acme.bob.pk}
    person, _ = export(tmp_path, "--phone", "98111 22233")
    assert person["data"]["account"][0]["email"] == "bob@acme.test"


def test_a_number_shared_by_a_lead_and_a_member_needs_kind(acme, ravi, tmp_path):
    acme.bob.user.phone = "+919876543210"
    acme.bob.user.save(update_fields=["phone"])
    with pytest.raises(CommandError, match="--phone: lead .* and member .* both have it; add --kind"):
        export(tmp_path, "--phone", "9876543210")
    person, _ = export(tmp_path, "--phone", "9876543210", "--kind", "member")
    assert person["about"]["subject"] == {"kind": "member", "id": acme.bob.pk}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--org", "nowhere", "--phone", "9876543210"], "--org: no organisation"),
        (
            ["--org", "acme", "--phone", "9999999999"],
            "--phone: no lead and no member of acme has this number",
        ),
        (["--org", "acme", "--phone", "12"], "--phone:"),
        (["--org", "acme", "--email", "nobody@example.in"], "--email: no lead and no member"),
    ],
)
def test_clear_errors_naming_the_option(ravi, tmp_path, args, message):
    out = tmp_path / "person.zip"
    with pytest.raises(CommandError, match=message):
        call_command("privacy", "export", *args, "--out", str(out))
    assert not out.exists()


def test_both_or_neither_of_phone_and_email_is_refused(ravi, tmp_path):
    out = str(tmp_path / "person.zip")
    with pytest.raises(CommandError, match="not allowed with argument"):
        call_command(
            "privacy", "export", "--org", "acme", "--phone", "9876543210", "--email", "a@b.in", "--out", out
        )
    with pytest.raises(CommandError, match="one of the arguments --phone --email is required"):
        call_command("privacy", "export", "--org", "acme", "--out", out)
    with pytest.raises(CommandError, match="--out: give a file name ending in .zip"):
        call_command(
            "privacy", "export", "--org", "acme", "--phone", "9876543210", "--out", str(tmp_path / "x.txt")
        )
