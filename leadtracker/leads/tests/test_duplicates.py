"""One lead per number and per e-mail in an organisation — held by the database itself."""

import pytest
from django.db import IntegrityError, transaction

from leadtracker.leads.actions.leads import DuplicateLead
from leadtracker.leads.models import Lead, LeadPhone


def test_same_number_in_another_format_is_a_duplicate(acme, new_lead):
    first = new_lead(acme, name="Raj", phone="98765 43210")
    with pytest.raises(DuplicateLead) as caught:
        new_lead(acme, name="Raj again", phone="+91-98765-43210")
    assert caught.value.existing == first and caught.value.field == "phone"


def test_any_of_the_numbers_counts(acme, new_lead):
    first = new_lead(acme, name="Raj", phones=["98765 43210", "91234 56789"])
    with pytest.raises(DuplicateLead) as caught:
        new_lead(acme, name="Other", phones=["09123456789"])
    assert caught.value.existing == first


def test_email_is_case_insensitive(acme, new_lead):
    new_lead(acme, name="A", email="Raj@Example.in", phones=[])
    with pytest.raises(DuplicateLead) as caught:
        new_lead(acme, name="B", email="raj@example.IN", phones=[])
    assert caught.value.field == "email"


def test_the_database_refuses_a_second_lead_with_a_number(acme, new_lead):
    lead = new_lead(acme, name="Raj", phone="98765 43210")
    other = new_lead(acme, name="Other", phone="91234 56789")
    with pytest.raises(IntegrityError), transaction.atomic():
        LeadPhone.objects.create(organisation=acme.org, lead=other, e164=lead.phone)
    with pytest.raises(IntegrityError), transaction.atomic():
        Lead.objects.filter(pk=other.pk).update(email="x@example.in")
        Lead.objects.filter(pk=lead.pk).update(email="x@example.in")


def test_other_organisations_may_have_the_same_number(acme, globex, new_lead):
    new_lead(acme, name="Raj", phone="98765 43210")
    assert new_lead(globex, name="Raj", phone="98765 43210").organisation == globex.org


def test_skip_update_create_on_duplicate(acme, new_lead):
    first = new_lead(acme, name="Raj", phone="98765 43210")
    assert new_lead(acme, name="X", phone="9876543210", on_duplicate="skip") == first
    updated = new_lead(acme, name="X", phone="9876543210", city="Pune", on_duplicate="update")
    assert updated == first and Lead.objects.get(pk=first.pk).city == "Pune"
    assert Lead.objects.get(pk=first.pk).name == "Raj"  # never overwritten
    created = new_lead(acme, name="Raj twin", phones=["9876543210", "91234 56789"], on_duplicate="create")
    assert created != first
    assert list(created.phones.values_list("e164", flat=True)) == ["+919123456789"]
    assert created.extra["possible_duplicate_of"] == first.pk


def test_a_lead_needs_a_contact(acme, new_lead):
    from leadtracker.lib.errors import ActionError

    with pytest.raises(ActionError, match="at least one valid phone number or e-mail"):
        new_lead(acme, name="Nobody", phones=[])
    with pytest.raises(ActionError) as caught:
        new_lead(acme, name="Short", phone="12345")
    assert caught.value.field == "phone"
