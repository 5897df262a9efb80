"""The calls page of an organisation with no calls said only "No calls match." under a full
filter form — nothing said where calls come from. With no filter set it now says how they
arrive (pair your phone and punch in; a manager: the team's phones), linking to Phones;
"No calls match." stays for filters that match nothing."""

from django.urls import reverse

from leadtracker.testing import call, hindi_client, html_region, open_shift, paired_client, send


def _empty_row(client, query=""):
    return html_region(client.get(f"/calls/{query}").content.decode(), "no-calls")


def test_an_agent_with_no_calls_is_told_to_pair_her_phone_and_punch_in(acme, as_member):
    client = as_member(acme.alice)
    row = _empty_row(client)
    assert row is not None
    assert "pair the phone you call from" in row.text and "punch in" in row.text
    assert "No calls match." not in row.text
    assert f'href="{reverse("devices")}"' in client.get("/calls/").content.decode()


def test_a_manager_is_told_about_the_teams_phones(acme, as_member):
    row = _empty_row(as_member(acme.maya))
    assert "your team" in row.text and "Phones" in row.text
    assert "No calls match." not in row.text


def test_the_empty_filter_form_sent_counts_as_no_filter(acme, as_member):
    row = _empty_row(as_member(acme.maya), "?user=&team=&status=&direction=&start=&end=&lead=")
    assert "No calls match." not in row.text and "Phones" in row.text


def test_a_filter_that_matches_nothing_still_says_no_calls_match(acme, as_member):
    open_shift(acme.alice)
    send(paired_client(acme.alice), [call(1, number="+919800000001", minutes_ago=30)])
    client = as_member(acme.alice)
    assert _empty_row(client) is None  # a call: no empty row
    row = _empty_row(client, "?direction=in")
    assert row.text == "No calls match."


def test_in_hindi(acme):
    row = _empty_row(hindi_client(acme.alice))
    assert "फ़ोन" in row.text and "No calls match." not in row.text and "pair" not in row.text
