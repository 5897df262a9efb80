"""The admin commands that scripts and server operators use."""

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from leadtracker.accounts.demo import DEMO_PASSWORD, PEOPLE, email_of
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


def test_demo_creates_two_teams_and_prints_working_logins(db, capsys):
    call_command("demo")
    out = capsys.readouterr().out
    org = Organisation.objects.get(slug="demo")
    members = Membership.objects.filter(organisation=org).select_related("reports_to")
    assert members.filter(role="owner").count() == 1
    assert members.filter(role="manager").count() == 2
    agents = members.filter(role="agent")
    assert agents.count() == 6
    assert {a.reports_to.user.email for a in agents} == {email_of("ravi"), email_of("meera")}
    for key, *_rest in PEOPLE:
        assert email_of(key) in out
    assert DEMO_PASSWORD in out
    client = Client()
    response = client.post("/login/", {"email": email_of("sunil"), "password": DEMO_PASSWORD})
    assert response.status_code == 302


def test_demo_is_idempotent_and_resettable(db):
    call_command("demo")
    call_command("demo")
    assert Organisation.objects.filter(slug="demo").count() == 1
    first_id = Organisation.objects.get(slug="demo").pk
    call_command("demo", reset=True)
    assert Organisation.objects.get(slug="demo").pk != first_id
    assert Membership.objects.filter(organisation__slug="demo").count() == len(PEOPLE)


def test_cli_accepts_hyphenated_names(db):
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-m", "leadtracker.cli", "create-org", "--help"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0 and "--owner-email" in result.stdout
