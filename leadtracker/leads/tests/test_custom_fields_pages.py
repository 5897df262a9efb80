"""Custom fields on the web: the settings page (admins add, change, archive, restore), the
new-lead and edit forms (typed, validated under their own input), the lead page by section,
and hidden-from-agents honoured on the server (an agent's page and form never carry it)."""

import pytest
from django.urls import reverse

from leadtracker.accounts.audit import Actor
from leadtracker.leads.fields import actions
from leadtracker.leads.fields.models import CustomField
from leadtracker.leads.models import Lead


@pytest.fixture
def realty(acme):
    sys = Actor.system()
    actions.create_field(acme.org, label="Budget", type="money", section="Property", actor=sys)
    actions.create_field(
        acme.org, label="BHK", type="choice", choices=["1", "2", "3"], section="Property", actor=sys
    )
    actions.create_field(acme.org, label="Site visit", type="date", actor=sys)
    actions.create_field(acme.org, label="Commission", type="number", hidden_from_agents=True, actor=sys)
    return acme


def test_admin_adds_changes_archives_and_restores_a_field(acme, as_member):
    client = as_member(acme.adam)
    page = client.get(reverse("field_settings"))
    assert page.status_code == 200 and b"No custom fields yet" in page.content
    added = client.post(
        reverse("field_add"),
        {"label": "Loan type", "type": "choice", "choices": "Home\nCar\n", "section": "Loan"},
        follow=True,
    )
    assert b"Saved." in added.content and b"loan_type" in added.content
    field = CustomField.objects.get(organisation=acme.org, key="loan_type")
    assert field.choices == ["Home", "Car"] and field.section == "Loan"
    client.post(reverse("field_save", args=[field.pk]), {"label": "Loan", "choices": "Home\nCar\nGold"})
    field.refresh_from_db()
    assert field.label == "Loan" and field.choices == ["Home", "Car", "Gold"]
    refused = client.post(reverse("field_add"), {"label": "Course", "type": "choice"}, follow=True)
    assert b"choices: a choice field needs at least one choice" in refused.content
    client.post(reverse("field_archive", args=[field.pk]))
    assert CustomField.objects.get(pk=field.pk).archived_at is not None
    client.post(reverse("field_restore", args=[field.pk]))
    assert CustomField.objects.get(pk=field.pk).archived_at is None
    assert as_member(acme.maya).get(reverse("field_settings")).status_code == 403
    assert b"Custom fields" in client.get(reverse("settings_hub")).content


def test_new_lead_form_takes_custom_values_and_names_a_bad_one(realty, as_member):
    client = as_member(realty.olga)
    form = client.get(reverse("lead_new")).content.decode()
    assert (
        'name="fields.budget"' in form
        and 'inputmode="decimal"' in form
        and 'name="fields.site_visit"' in form
    )
    base = {"name": "Ravi", "phones": "98765 43210", "tags": ""}
    bad = client.post(reverse("lead_new"), {**base, "fields.budget": "lots", "fields.bhk": "2"})
    assert bad.status_code == 200 and "is not an amount" in bad.content.decode()
    assert not Lead.objects.exists()
    made = client.post(
        reverse("lead_new"),
        {
            **base,
            "fields.budget": "45 L",
            "fields.bhk": "2",
            "fields.site_visit": "2027-01-10",
            "fields.commission": "2",
        },
    )
    lead = Lead.objects.get()
    assert made.status_code == 302
    assert lead.custom_fields == {"budget": 4500000, "bhk": "2", "site_visit": "2027-01-10", "commission": 2}
    page = client.get(reverse("lead_detail", args=[lead.pk])).content.decode()
    assert "Property" in page and "₹45,00,000" in page and "Commission" in page


def test_edit_form_changes_and_clears_values(realty, as_member, new_lead):
    lead = new_lead(realty, custom_fields={"budget": 4500000, "bhk": "2"})
    client = as_member(realty.olga)
    form = client.get(reverse("lead_edit", args=[lead.pk])).content.decode()
    assert 'value="4500000"' in form
    client.post(
        reverse("lead_edit", args=[lead.pk]),
        {"name": lead.name, "phones": "98765 43210", "tags": "", "fields.budget": "", "fields.bhk": "3"},
    )
    lead.refresh_from_db()
    assert lead.custom_fields == {"bhk": "3"}


def test_agent_never_sees_a_hidden_field(realty, as_member, new_lead):
    lead = new_lead(realty, owner=realty.alice, custom_fields={"commission": 7, "bhk": "2"})
    client = as_member(realty.alice)
    page = client.get(reverse("lead_detail", args=[lead.pk])).content.decode()
    assert "BHK" in page and "Commission" not in page
    form = client.get(reverse("lead_edit", args=[lead.pk])).content.decode()
    assert "fields.commission" not in form
    client.post(
        reverse("lead_edit", args=[lead.pk]),
        {"name": lead.name, "phones": "98765 43210", "tags": "", "fields.bhk": "3", "fields.commission": "0"},
    )
    lead.refresh_from_db()
    assert lead.custom_fields == {"commission": 7, "bhk": "3"}  # a posted hidden key is no field of the form
