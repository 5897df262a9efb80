"""The admin commands that scripts and server operators use."""

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from leadtracker.accounts.models import ApiToken, Membership, Organisation, hash_secret


def test_create_org_with_password(db, capsys):
    call_command(
        "create_org",
        name="Gupta Motors",
        slug="gupta",
        owner_email="Owner@Gupta.in",
        password="a-long-enough-password",
    )
    org = Organisation.objects.get(slug="gupta")
    owner = Membership.objects.get(organisation=org)
    assert owner.role == "owner" and owner.user.email == "owner@gupta.in"
    assert owner.user.check_password("a-long-enough-password")
    assert (org.time_zone, org.phone_region, org.currency) == ("Asia/Kolkata", "IN", "INR")
    assert "Created organisation gupta" in capsys.readouterr().out


def test_create_org_refuses_duplicates_and_bad_slugs(db):
    call_command("create_org", name="A", slug="alpha", owner_email="a@alpha.in")
    with pytest.raises(CommandError, match="slug: an organisation with slug 'alpha' exists"):
        call_command("create_org", name="B", slug="alpha", owner_email="b@alpha.in")
    with pytest.raises(CommandError, match="slug:"):
        call_command("create_org", name="B", slug="Not A Slug!", owner_email="b@alpha.in")
    with pytest.raises(CommandError, match="password:"):
        call_command("create_org", name="C", slug="charlie", owner_email="c@c.in", password="123")


def test_create_token_prints_token_last(acme, capsys):
    call_command("create_token", org="acme", email="Alice@Acme.test", name="zapier")
    out = capsys.readouterr().out.strip().splitlines()
    raw = out[-1]
    token = ApiToken.objects.get(token_hash=hash_secret(raw))
    assert token.user == acme.alice.user and token.name == "zapier"
    assert Client(HTTP_AUTHORIZATION=f"Bearer {raw}").get("/api/v1/me").status_code == 200


def test_create_token_for_unknown_member(acme):
    with pytest.raises(CommandError, match="not a member"):
        call_command("create_token", org="acme", email="nobody@acme.test", name="x")


def test_cli_accepts_hyphenated_names(monkeypatch, capsys):
    import django

    from leadtracker.cli import main

    # The console script's own function, in this process rather than a new one (a Django start,
    # 1-2 s of CPU): --help ends while the arguments are parsed, before the command runs. Django
    # is set up here already; set up again it would send the log to the captured stderr.
    monkeypatch.setattr(django, "setup", lambda *args, **kwargs: None)
    with pytest.raises(SystemExit) as exited:
        main(["leadtracker", "create-org", "--help"])
    assert exited.value.code == 0 and "--owner-email" in capsys.readouterr().out
