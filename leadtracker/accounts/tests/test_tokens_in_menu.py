"""API tokens in the menu of managers and in the Settings hub of owners and admins, who set up
integrations; an agent finds
theirs on the profile page and may still make one (the API answers it within what the agent
may see), so nothing is taken away from them, only moved out of the everyday menu."""

import re

import pytest

from leadtracker.accounts.models import ApiToken


def header(page: str) -> str:
    return re.search(r'<header class="topbar">(.*?)</header>', page, re.S).group(1)


@pytest.mark.parametrize("who, offered", [("alice", False), ("maya", True)])
def test_the_menu_offers_tokens_to_managers(acme, as_member, who, offered):
    page = as_member(getattr(acme, who)).get("/my-day/").content.decode()
    assert ('href="/tokens/"' in header(page)) is offered


@pytest.mark.parametrize("who", ["adam", "olga"])
def test_the_settings_hub_offers_tokens_to_admins(acme, as_member, who):
    page = as_member(getattr(acme, who)).get("/settings/").content.decode()
    assert 'href="/tokens/"' in page.split('<main class="page">', 1)[1]


def test_an_agent_reaches_and_makes_tokens_from_the_profile(acme, as_member):
    client = as_member(acme.alice)
    profile = client.get("/profile/").content.decode()
    assert 'href="/tokens/"' in re.search(r'<main class="page">(.*?)</main>', profile, re.S).group(1)
    assert client.get("/tokens/").status_code == 200
    assert client.post("/tokens/", {"name": "my script"}).status_code == 200
    assert ApiToken.objects.filter(user=acme.alice.user, name="my script").exists()
