"""The header by role: an agent's four main places, a manager's Dashboard and Team, an owner's
or admin's one Settings hub in place of seven top-level links; the rest behind ☰. What is left
out of someone's menu is still refused them by the server."""

import re

import pytest
from django.urls import NoReverseMatch, reverse

from leadtracker.accounts.models import Membership, Role


def hrefs(page: str, element_id: str) -> list[str]:
    """The links inside one element of the page, in order."""
    start = page.index(f'id="{element_id}"')
    end = page.index("</nav>", start)
    return re.findall(r'href="([^"]+)"', page[start:end])


def queue_url() -> list[str]:
    # The calling queue is another part of the same work: its tab appears once its page does.
    try:
        return [reverse("queue")]
    except NoReverseMatch:
        return []


SETTINGS_PAGES = ["/leads/settings/", "/calls/outcomes/", "/calls/usage/", "/audit/", "/settings/privacy/"]


def test_an_agent_has_four_main_places_and_no_manager_pages(acme, as_member):
    page = as_member(acme.alice).get("/my-day/").content.decode()
    assert hrefs(page, "main-nav") == ["/my-day/", *queue_url(), "/leads/", "/calls/"]
    more = hrefs(page, "more-menu")
    for kept in ("/attendance/", "/calls/recent/", "/calls/missed/", "/leads/board/", "/devices/"):
        assert kept in more
    for path in ("/dashboard/", "/members/", "/settings/", "/leads/import/", "/tokens/", *SETTINGS_PAGES):
        assert path not in hrefs(page, "main-nav") + more


def test_the_current_place_is_marked(acme, as_member):
    page = as_member(acme.alice).get("/leads/").content.decode()
    assert re.search(r'<a class="tab"\s+href="/leads/"[^>]*\saria-current="page"', page)
    assert page.count('aria-current="page"') == 1


@pytest.mark.parametrize("who", ["maya", "mani"])
def test_a_manager_adds_dashboard_and_team(acme, as_member, who):
    page = as_member(getattr(acme, who)).get("/dashboard/").content.decode()
    assert hrefs(page, "main-nav") == ["/dashboard/", *queue_url(), "/leads/", "/calls/", "/members/"]
    more = hrefs(page, "more-menu")
    for kept in ("/my-day/", "/leads/import/", "/leads/duplicates/", "/tokens/", "/devices/"):
        assert kept in more
    assert "/settings/" not in more and not set(SETTINGS_PAGES) & set(more)


@pytest.mark.parametrize("who", ["olga", "adam"])
def test_owners_and_admins_have_one_settings_hub(acme, as_member, who):
    client = as_member(getattr(acme, who))
    page = client.get("/dashboard/").content.decode()
    assert hrefs(page, "main-nav") == ["/dashboard/", "/leads/", "/calls/", "/members/", "/settings/"]
    header = hrefs(page, "main-nav") + hrefs(page, "more-menu")
    assert not set(SETTINGS_PAGES) & set(header), "settings pages are in the hub, not the header"
    hub = client.get("/settings/")
    assert hub.status_code == 200
    main = hub.content.decode().split('<main class="page">', 1)[1]
    links = set(re.findall(r'href="([^"#]+)', main))
    for path in (
        "/settings/organisation/",
        "/members/",
        "/leads/settings/",
        "/calls/outcomes/",
        "/devices/",
        "/tokens/",
        "/settings/privacy/",
        "/settings/privacy/requests/",
        "/settings/privacy/retention/",
        "/calls/usage/",
        "/audit/",
    ):
        assert path in links, path
    for path in links:
        assert client.get(path).status_code == 200, path


@pytest.mark.parametrize("who", ["alice", "maya"])
def test_pages_left_out_of_the_menu_are_refused_on_the_server(acme, as_member, who):
    client = as_member(getattr(acme, who))
    for path in ("/settings/", "/settings/organisation/", "/leads/settings/", "/audit/", "/calls/usage/"):
        assert client.get(path).status_code == 403, path
    if who == "alice":
        for path in ("/members/", "/leads/import/", "/leads/duplicates/"):
            assert client.get(path).status_code == 403, path
        # An agent asking for the dashboard is sent to their day, which is theirs to see.
        assert client.get("/dashboard/")["Location"] == "/my-day/"


def test_everyone_keeps_profile_help_notifications_and_log_out(acme, as_member):
    for who in ("alice", "maya", "olga"):
        page = as_member(getattr(acme, who)).get("/profile/").content.decode()
        more = hrefs(page, "more-menu")
        assert {"/profile/", "/help/", "/notifications/"} <= set(more)
        assert 'action="/logout/"' in page
        # The bell is a drawn icon now: no emoji, which the phones may have no font for.
        assert "🔔" not in page


def test_the_switcher_and_site_admin_stay_in_the_menu(acme, globex, as_member):
    Membership.objects.create(organisation=globex.org, user=acme.maya.user, role=Role.AGENT)
    page = as_member(acme.maya).get("/dashboard/").content.decode()
    menu = page[page.index('id="more-menu"') : page.index("</nav>", page.index('id="more-menu"'))]
    assert 'action="/switch/"' in menu and f'value="{globex.org.pk}"' in menu
    assert "/django-admin/" not in menu
    acme.olga.user.is_superuser = True
    acme.olga.user.save(update_fields=["is_superuser"])
    assert "/django-admin/" in hrefs(as_member(acme.olga).get("/dashboard/").content.decode(), "more-menu")
