"""Custom fields on the web: the settings page (admins add, change, archive, restore), the
new-lead and edit forms (typed, validated under their own input), the lead page by section,
and hidden-from-agents honoured on the server (an agent's page and form never carry it)."""

import pytest
from django.urls import reverse

from leadtracker.accounts.audit import Actor
from leadtracker.accounts.models import AuditEvent
from leadtracker.leads.fields import actions
from leadtracker.leads.fields.models import CustomField
from leadtracker.leads.models import ActivityKind, Lead


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
    assert "Add at least one choice, one a line." in refused.content.decode()
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


def test_settings_form_refused_comes_back_as_typed_with_each_error_in_words(realty, as_member):
    client = as_member(realty.adam)
    page = client.post(
        reverse("field_add"),
        {"label": "", "type": "choice", "section": "Property", "position": "-3"},
    ).content.decode()
    # Back on the page (no redirect), what was typed kept, errors beside their inputs in words.
    assert "Not saved — 2 things to fix" in page and "Give the field a name." in page
    assert "A whole number from 0 to 100000." in page and 'value="Property"' in page
    assert "label:" not in page and "position:" not in page and 'href="#id_label"' in page
    empty = client.post(reverse("field_add"), {"label": "Course", "type": "choice", "section": "Edu"})
    text = empty.content.decode()
    assert empty.status_code == 200 and "Add at least one choice, one a line." in text
    assert 'value="Course"' in text and "choices:" not in text
    twin = client.post(reverse("field_add"), {"label": "Budget (₹)", "type": "money"}).content.decode()
    assert "A field named Budget exists already." in twin
    assert "key:" not in twin and 'value="Budget (₹)"' in twin
    bhk = CustomField.objects.get(organisation=realty.org, key="bhk")
    edit = client.post(reverse("field_save", args=[bhk.pk]), {"label": "Rooms", "choices": "\n"})
    text = edit.content.decode()
    assert "Add at least one choice, one a line." in text and 'value="Rooms"' in text
    assert 'row-card" open' in text
    bhk.refresh_from_db()
    assert bhk.label == "BHK" and bhk.choices == ["1", "2", "3"]
    assert CustomField.objects.filter(organisation=realty.org).count() == 4


def test_refused_lead_form_says_at_the_top_what_to_fix_linking_to_each_field(realty, as_member, new_lead):
    client = as_member(realty.olga)
    base = {"phones": "98765 43210", "tags": "", "fields.budget": "abc"}
    page = client.post(
        reverse("lead_new"), {**base, "name": "Ravi", "fields.site_visit": "soon", "fields.bhk": "9"}
    ).content.decode()
    top = page[: page.index('name="name"')]
    # The summary stands before the first input, each error a link to its input.
    assert "Not saved — 3 things to fix" in top and 'href="#id_fields.site_visit"' in top
    assert 'href="#id_fields.bhk"' in top and 'href="#id_fields.budget"' in top and "autofocus" in top
    page = client.post(reverse("lead_new"), {**base, "name": "Ravi"}).content.decode()
    top = page[: page.index('name="name"')]
    assert "Not saved — 1 thing to fix" in top and 'href="#id_fields.budget"' in top
    assert "is not an amount" in top and 'id="id_fields.budget"' in page
    # Every bad value at once, a required one left empty among them (the action said one).
    CustomField.objects.filter(key="site_visit").update(required=True)
    bad = {**base, "name": "Ravi", "fields.commission": "x"}
    page = client.post(reverse("lead_new"), bad).content.decode()
    top = page[: page.index('name="name"')]
    assert "Not saved — 3 things to fix" in top and 'href="#id_fields.commission"' in top
    assert 'href="#id_fields.site_visit"' in top and "is required" in top
    assert not Lead.objects.exists()
    lead = new_lead(realty)
    edit = client.post(
        reverse("lead_edit", args=[lead.pk]),
        {"name": lead.name, "phones": "98765 43210", "fields.budget": "abc"},
    ).content.decode()
    assert 'href="#id_fields.budget"' in edit[: edit.index('name="name"')]


def _as_sent(form) -> dict:
    """What a browser sends back for the form as shown: each input's value, unticked boxes left out."""
    data = {}
    for field in form:
        value = field.value()
        if value is True:
            data[field.html_name] = "on"
        elif value not in (None, False):
            data[field.html_name] = value if isinstance(value, list) else str(value)
    return data


def test_edit_timeline_names_changed_fields_and_a_save_of_nothing_logs_nothing(realty, as_member, new_lead):
    lead = new_lead(realty, phones=["98765 43210", "+91 91234-56789"], custom_fields={"budget": 2500000})
    client = as_member(realty.olga)
    url = reverse("lead_edit", args=[lead.pk])
    sent = _as_sent(client.get(url).context["form"])
    before = (lead.activities.count(), AuditEvent.objects.filter(action="lead.update").count())
    assert client.post(url, sent).status_code == 302
    # Saved as shown: the numbers come back as typed, not a change — no line, no audit event.
    assert (lead.activities.count(), AuditEvent.objects.filter(action="lead.update").count()) == before
    now = {**sent, "fields.budget": "40 L", "fields.bhk": "2", "fields.commission": "3"}
    client.post(url, now)
    line = lead.activities.filter(kind=ActivityKind.UPDATED).latest("pk")
    assert line.data["said"] == ["Budget", "BHK", "1 hidden field"]
    page = client.get(reverse("lead_detail", args=[lead.pk])).content.decode()
    assert "Budget, BHK, 1 hidden field" in page and "custom_fields" not in page
    # Another main number is a change of the numbers.
    client.post(url, {**now, "phones": "91234 56789, 98765 43210"})
    assert lead.activities.filter(kind=ActivityKind.UPDATED).latest("pk").data == {"fields": ["phones"]}
