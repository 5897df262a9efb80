"""API tokens in the main menu for managers and up, who set up integrations; an agent finds
theirs on the profile page and may still make one (the API answers it within what the agent
may see), so nothing is taken away from them, only moved out of the everyday menu."""

import re

import pytest

from leadtracker.accounts.models import ApiToken


def main_menu(page: str) -> str:
    return re.search(r'<nav class="nav" aria-label="Main">(.*?)</nav>', page, re.S).group(1)


@pytest.mark.parametrize("who, offered", [("alice", False), ("maya", True), ("adam", True), ("olga", True)])
def test_the_main_menu_offers_tokens_from_manager_up(acme, as_member, who, offered):
    page = as_member(getattr(acme, who)).get("/my-day/").content.decode()
    assert ('href="/tokens/"' in main_menu(page)) is offered


def test_an_agent_reaches_and_makes_tokens_from_the_profile(acme, as_member):
    client = as_member(acme.alice)
    profile = client.get("/profile/").content.decode()
    assert 'href="/tokens/"' in re.search(r'<main class="page">(.*?)</main>', profile, re.S).group(1)
    assert client.get("/tokens/").status_code == 200
    assert client.post("/tokens/", {"name": "my script"}).status_code == 200
    assert ApiToken.objects.filter(user=acme.alice.user, name="my script").exists()
