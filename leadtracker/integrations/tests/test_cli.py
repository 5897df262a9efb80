"""`leadtracker integration add|list`: the last line of `add` is JSON with the id, the URL to
paste and the generated secrets; `list` shows the organisation's connectors."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from leadtracker.integrations.models import Connector


def run(*args) -> str:
    out = StringIO()
    call_command("integration", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_add_prints_json_last_and_list_shows_it(acme, settings):
    settings.SITE_URL = "https://crm.example.in"
    out = run(
        "add", "--org", "acme", "--kind", "facebook", "--option", "app_secret=s1", "--option", "page_token=p1"
    )
    made = json.loads(out.strip().splitlines()[-1])
    connector = Connector.objects.get(pk=made["id"])
    assert made["webhook_url"] == f"https://crm.example.in/integrations/hook/{connector.url_token}"
    assert made["verify_token"] == connector.secrets["verify_token"] and len(made["verify_token"]) >= 24
    assert "app_secret" not in made and "page_token" not in made  # given, not generated: not echoed

    google = json.loads(run("add", "--org", "acme", "--kind", "google-ads").strip().splitlines()[-1])
    assert google["key"] == Connector.objects.get(pk=google["id"]).secrets["key"]

    listed = [json.loads(line) for line in run("list", "--org", "acme", "--json").splitlines()]
    assert [(r["id"], r["kind"]) for r in listed] == [(made["id"], "facebook"), (google["id"], "google-ads")]
    assert all("verify_token" not in r and "key" not in r for r in listed)
    assert "Facebook Lead Ads" in run("list", "--org", "acme")


def test_bad_input_names_the_option(acme):
    with pytest.raises(CommandError, match="--kind: unknown kind 'fax'"):
        run("add", "--org", "acme", "--kind", "fax")
    with pytest.raises(CommandError, match="--colour: not an option of google-ads"):
        run("add", "--org", "acme", "--kind", "google-ads", "--option", "colour=red")
    with pytest.raises(CommandError, match="--app_secret: required"):
        run("add", "--org", "acme", "--kind", "facebook")
    with pytest.raises(CommandError, match="--org: no organisation 'nope'"):
        run("list", "--org", "nope")
    assert not Connector.objects.exists()
