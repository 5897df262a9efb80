"""The timeline line of an edit ("Details changed: name, Budget, 1 hidden field") reads in the
reader's language: the built-in details by their words, the count of fields hidden from agents
(issue 20's custom fields) in a sentence of its own — not the stored English. A custom field's
label is shown as the admin wrote it; lines written before read the same way."""

import pytest

from leadtracker.accounts.audit import Actor
from leadtracker.leads.actions.leads import set_phones, update_lead
from leadtracker.leads.fields import actions
from leadtracker.leads.models import Activity, ActivityKind


@pytest.fixture
def edited(acme, new_lead):
    sys = Actor.system()
    actions.create_field(acme.org, label="Budget", type="money", actor=sys)
    actions.create_field(acme.org, label="Commission", type="number", hidden_from_agents=True, actor=sys)
    actions.create_field(acme.org, label="Payout", type="number", hidden_from_agents=True, actor=sys)
    lead = new_lead(acme, name="Ravi", owner=acme.alice)
    actor = Actor.for_user(acme.olga.user)
    fields = {"budget": 4500000, "commission": 2, "payout": 1}
    update_lead(lead, actor=actor, by=acme.olga, name="Ravi Kumar", city="Pune", custom_fields=fields)
    set_phones(lead, ["98765 43210", "91234 56789"], actor=actor, by=acme.olga)
    return lead


def _lines(client, lead):
    page = client.get(f"/leads/{lead.pk}/").content.decode()
    return page


def test_the_edit_line_in_english(acme, as_member, edited):
    page = _lines(as_member(acme.alice), edited)
    assert "Details changed: name, city, Budget, 2 hidden fields" in page
    assert "Details changed: phone numbers" in page


def test_the_edit_line_in_hindi(acme, as_member, edited):
    acme.alice.user.language = "hi"
    acme.alice.user.save(update_fields=["language"])
    page = _lines(as_member(acme.alice), edited)
    assert "जानकारी बदली: नाम, शहर, Budget, 2 छिपे फ़ील्ड" in page
    assert "जानकारी बदली: फ़ोन नंबर" in page
    assert "hidden field" not in page and "phones" not in page


def test_a_line_written_before_reads_in_hindi_too(acme, as_member, new_lead):
    lead = new_lead(acme, owner=acme.alice)
    # As stored before this change: English words for the hidden count; a line without "said".
    Activity.objects.create(
        organisation=acme.org,
        lead=lead,
        kind=ActivityKind.UPDATED,
        data={"fields": ["custom_fields"], "said": ["Budget", "1 hidden field"]},
    )
    Activity.objects.create(
        organisation=acme.org,
        lead=lead,
        kind=ActivityKind.UPDATED,
        data={"fields": ["email", "custom_fields"]},
    )
    acme.alice.user.language = "hi"
    acme.alice.user.save(update_fields=["language"])
    page = _lines(as_member(acme.alice), lead)
    assert "जानकारी बदली: Budget, 1 छिपा फ़ील्ड" in page
    assert "जानकारी बदली: ई-मेल, अपने फ़ील्ड" in page
