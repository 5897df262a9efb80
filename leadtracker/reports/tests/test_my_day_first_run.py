"""An agent's first sign-in lands on My day: until she has paired the phone she calls from, the
page says so first and links to Phones — without it no call of hers reaches a lead, and nothing
else on her first day tells her (the owner's getting-started list is on the dashboard, which an
agent never sees). The card goes away once a phone is paired, and comes back if it is unpaired."""

from django.urls import reverse
from django.utils import timezone

from leadtracker.testing import html_region, login_client, paired_client


def card(member):
    return html_region(login_client(member).get("/my-day/").content, "set-up-phone")


def test_an_agent_without_a_phone_is_told_to_pair_one_first(acme):
    region = card(acme.alice)
    assert region is not None
    assert "Pair your phone" in region.text
    page = login_client(acme.alice).get("/my-day/").content.decode()
    section = page.split('id="set-up-phone"', 1)[1].split("</section>", 1)[0]
    assert f'href="{reverse("devices")}"' in section
    assert "punch in" in region.text.lower()
    # her home page is her day: the same card is there after signing in
    home = html_region(login_client(acme.alice).get("/").content, "set-up-phone")
    assert home is not None


def test_the_card_goes_once_her_phone_is_paired_and_comes_back_if_unpaired(acme):
    client = paired_client(acme.alice)
    assert card(acme.alice) is None
    assert card(acme.bob) is not None  # another agent's phone is not hers
    client.device.revoked_at = timezone.now()
    client.device.save(update_fields=["revoked_at"])
    assert card(acme.alice) is not None
