"""A lead's page shows what *this* lead has — its tags, numbers, notes and follow-ups — and
nothing of another lead's, while its menus still offer everything the organisation has.

The page once showed every tag of the organisation on every lead: the view put the lead's tags
in the context as "tags" and then splatted the organisation's choices, which had a "tags" key
too. No test saw it because the only page test with tags had a single lead in the
organisation, whose tags were all the tags there were, and asserted nothing about them. So
these tests build leads that differ in every panel and read each panel's own region of the
page, not the whole page."""

import datetime as dt

import pytest
from django.utils import timezone

from leadtracker.accounts.audit import Actor
from leadtracker.leads.actions.follow_ups import schedule_follow_up
from leadtracker.leads.actions.leads import add_note
from leadtracker.leads.actions.settings import source_named
from leadtracker.testing import html_region


@pytest.fixture
def two_leads(acme, new_lead):
    a = new_lead(acme, name="Asha Rao", phones=["98765 43210"], by=acme.alice, tags=["site-visit-a"])
    b = new_lead(acme, name="Bharat Jain", phones=["91234 56789"], by=acme.alice, tags=["nri-b", "budget-b"])
    soon = timezone.now() + dt.timedelta(days=1)
    for lead, letter in ((a, "A"), (b, "B")):
        add_note(lead, f"note only on {letter}", actor=Actor.system(), by=None)
        schedule_follow_up(
            lead, due_at=soon, note=f"follow-up only on {letter}", actor=Actor.system(), by=None
        )
    return a, b


def chips(page):
    region = html_region(page, "lead-tags")
    return [] if region is None else [text for tag, classes, text in region.elements if "tag" in classes]


def test_the_page_of_a_shows_a_and_not_b(acme, two_leads, as_member):
    a, _b = two_leads
    page = as_member(acme.alice).get(f"/leads/{a.pk}/").content.decode()
    assert chips(page) == ["site-visit-a"]
    assert "nri-b" not in page and "budget-b" not in page
    numbers = html_region(page, "lead-numbers").text
    assert "98765 43210" in numbers and "91234 56789" not in numbers
    timeline = html_region(page, "lead-timeline").text
    assert "note only on A" in timeline and "note only on B" not in timeline
    follow_ups = html_region(page, "lead-follow-ups").text
    assert "follow-up only on A" in follow_ups and "follow-up only on B" not in follow_ups


def test_the_page_of_b_shows_b_and_not_a(acme, two_leads, as_member):
    _a, b = two_leads
    page = as_member(acme.maya).get(f"/leads/{b.pk}/").content.decode()
    assert chips(page) == ["budget-b", "nri-b"]
    assert "site-visit-a" not in page
    assert "91234 56789" in html_region(page, "lead-numbers").text
    assert "note only on A" not in html_region(page, "lead-timeline").text
    assert "follow-up only on A" not in html_region(page, "lead-follow-ups").text


def test_a_lead_with_no_tags_shows_none(acme, two_leads, new_lead, as_member):
    bare = new_lead(acme, name="Chitra", phones=["99887 76655"], by=acme.alice)
    for member in (acme.alice, acme.olga):  # an agent's page and an owner's (who has every menu)
        page = as_member(member).get(f"/leads/{bare.pk}/").content.decode()
        assert html_region(page, "lead-tags") is None
        assert "badge tag" not in page
        for name in ("site-visit-a", "nri-b", "budget-b"):
            assert name not in page, name
        timeline = html_region(page, "lead-timeline").text
        assert "note only on" not in timeline
        assert "Nothing planned." in html_region(page, "lead-follow-ups").text


def test_the_edit_form_holds_this_leads_tags_and_numbers(acme, two_leads, new_lead, as_member):
    a, _b = two_leads
    bare = new_lead(acme, name="Chitra", phones=["99887 76655"], by=acme.alice)
    client = as_member(acme.alice)
    form = client.get(f"/leads/{a.pk}/edit/").context["form"]
    assert form["tags"].value() == "site-visit-a"
    assert "43210" in form["phones"].value() and "56789" not in form["phones"].value()
    assert client.get(f"/leads/{bare.pk}/edit/").context["form"]["tags"].value() == ""


def test_the_menus_still_offer_everything_the_organisation_has(acme, two_leads, as_member):
    """The organisation's lists were renamed (*_choices) so that they cannot take the place of
    the lead's own; a template still using an old name would silently show an empty menu."""
    a, _b = two_leads
    client = as_member(acme.maya)
    statuses = list(acme.org.lead_statuses.filter(is_active=True).values_list("name", flat=True))
    page = client.get(f"/leads/{a.pk}/").content.decode()
    status_menu = html_region(page, "status")
    assert [text for tag, _c, text in status_menu.elements if tag == "option"] == statuses
    owner_menu = html_region(page, "owner")
    assert "Alice Acme" in owner_menu.text and "Bob Acme" in owner_menu.text

    listing = client.get("/leads/").content.decode()
    tag_filter = html_region(listing, "f-tag")
    assert [text for tag, _c, text in tag_filter.elements if tag == "option"] == [
        "Any",
        "budget-b",
        "nri-b",
        "site-visit-a",
    ]
    assert all(name in html_region(listing, "f-status").text for name in statuses)
    assert "Alice Acme" in html_region(listing, "f-owner").text
    assert "Alice Acme" in html_region(listing, "b-owner").text
    assert "Mani Acme" in html_region(listing, "f-team").text
    source_named(acme.org, "Walk-in")
    assert "Walk-in" in html_region(client.get("/leads/").content, "f-source").text
