"""Lead settings → "Sources and web capture" on a new organisation (no sources) said only
"New source [Add]": nothing told an owner that a web form for her website comes from adding a
source and turning on its web capture. The card now says so, and links to the field."""

from leadtracker.leads.models import LeadSource
from leadtracker.testing import hindi_client, html_region


def _card(client):
    return html_region(client.get("/leads/settings/").content.decode(), "sources")


def test_a_new_organisation_is_told_what_a_source_is_and_where_its_web_form_comes_from(acme, as_member):
    assert not LeadSource.objects.filter(organisation=acme.org).exists()
    card = _card(as_member(acme.olga))
    assert card is not None
    assert "A source says where a lead came from" in card.text
    assert "Turn on web capture" in card.text and "web form" in card.text
    assert "No sources yet" in card.text
    page = as_member(acme.olga).get("/leads/settings/").content.decode()
    assert '<a href="#source-name">' in page  # to the New source field


def test_with_a_source_the_card_still_explains_but_no_longer_says_none_yet(acme, as_member):
    client = as_member(acme.olga)
    assert client.post("/leads/settings/sources/", {"name": "Website"}).status_code == 302
    card = _card(client)
    assert "Turn on web capture" in card.text
    assert 'value="Website"' in client.get("/leads/settings/").content.decode()  # its rename field
    assert "A source says where a lead came from" in card.text
    assert "No sources yet" not in card.text


def test_in_hindi(acme):
    card = _card(hindi_client(acme.olga))
    assert "अभी कोई सोर्स नहीं" in card.text and "सोर्स बताता है" in card.text
