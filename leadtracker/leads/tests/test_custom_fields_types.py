"""Every type a custom field can have, through the API as a client writes it: what is taken and
stored typed (money from "45 L" / "1.2 Cr", a phone in E.164, an e-mail in lower case, yes/no as
true/false …), what is refused with a 422 naming ``fields.<key>``; and money shown in lakh and
crore on the lead page and in the list."""

import pytest

from leadtracker.accounts.audit import Actor
from leadtracker.accounts.models import AuditEvent
from leadtracker.leads.actions.saved_views import set_columns
from leadtracker.leads.fields import actions
from leadtracker.leads.fields.models import FieldType
from leadtracker.leads.models import Lead

# type: (what a client sends, what is stored and read back, a value refused, words of the refusal)
CASES = {
    "text": ("  Baner  ", "Baner", ["a list"], "must be text"),
    "long_text": (
        "Wants a corner flat.\nCall after 6.",
        "Wants a corner flat.\nCall after 6.",
        "x" * 5001,
        "5000",
    ),
    "number": ("12.5", 12.5, "twelve", "not a number"),
    "money": ("1.2 Cr", 12000000, "lots", "not an amount"),
    "choice": ("two", "Two", "Five", "not one of"),
    "multiple_choice": (["three", "One"], ["One", "Three"], ["Nine"], "not one of"),
    "date": ("10/02/2027", "2027-02-10", "2027-02-31", "not a date"),
    "phone": ("098111 22233", "+919811122233", "12", "'12' is"),
    "email": ("Kiran.Office@Example.IN", "kiran.office@example.in", "kiran@", "not a valid e-mail"),
    "yes_no": ("हाँ", True, "maybe", "not yes or no"),
}


def test_every_type_is_covered():
    assert set(CASES) == set(FieldType.values)


@pytest.fixture
def typed(acme):
    for kind in CASES:
        choices = ["One", "Two", "Three"] if kind in ("choice", "multiple_choice") else None
        actions.create_field(
            acme.org, label=kind, key=f"my_{kind}", type=kind, choices=choices, actor=Actor.system()
        )
    return acme


@pytest.mark.parametrize("kind", CASES)
def test_a_value_of_each_type_is_stored_typed_and_a_bad_one_refused(typed, api_as, kind):
    sent, stored, bad, words = CASES[kind]
    key = f"my_{kind}"  # "phone" and "email" are built-in fields' names
    client = api_as(typed.olga)
    body = {"name": "Kiran", "phones": ["98765 43210"], "fields": {key: sent}}
    made = client.post("/api/v1/leads", body, content_type="application/json")
    assert made.status_code == 201, made.content
    assert made.json()["fields"] == {key: stored}
    assert Lead.objects.get(pk=made.json()["id"]).custom_fields == {key: stored}
    refused = client.patch(
        f"/api/v1/leads/{made.json()['id']}", {"fields": {key: bad}}, content_type="application/json"
    )
    assert refused.status_code == 422, refused.content
    error = refused.json()["errors"][0]
    assert error["field"] == f"fields.{key}" and words in error["message"], error
    assert Lead.objects.get(pk=made.json()["id"]).custom_fields == {key: stored}
    assert AuditEvent.objects.filter(action="lead.update").count() == 0


def test_money_is_shown_in_lakh_and_crore(acme, as_member, new_lead):
    actions.create_field(acme.org, label="Budget", type="money", actor=Actor.system())
    crore = new_lead(acme, name="Asha", phone="98765 40001", custom_fields={"budget": 12000000})
    new_lead(acme, name="Bina", phone="98765 40002", custom_fields={"budget": 4500000})
    client = as_member(acme.olga)
    assert "₹1,20,00,000" in client.get(f"/leads/{crore.pk}/").content.decode()  # in full, Indian commas
    set_columns(acme.olga, ["status", "fields.budget"], actor=Actor.system())
    listed = client.get("/leads/?sort=name").content.decode()
    assert "₹1.2 Cr" in listed and "₹45 L" in listed  # at a glance
