"""Custom values and privacy: the access export carries them, erasure leaves no trace of them
(a phone, an e-mail and free text held in custom fields), and another lead's stay."""

import io

import pytest

from leadtracker.accounts.audit import Actor
from leadtracker.leads.fields import actions
from leadtracker.privacy.erasure.actions import erase_lead
from leadtracker.privacy.export.archive import build_zip
from leadtracker.privacy.export.values import Subject
from leadtracker.privacy.tests.erasure_util import scan_database
from leadtracker.privacy.tests.export_util import read_zip

VALUES = {"alt_phone": "+919811122233", "office_email": "kiran.office@example.in", "pan": "ABCPK1234Z"}


@pytest.fixture
def person(acme, new_lead):
    sys = Actor.system()
    actions.create_field(acme.org, label="Alt phone", type="phone", actor=sys)
    actions.create_field(acme.org, label="Office email", type="email", actor=sys)
    actions.create_field(acme.org, label="PAN", type="text", actor=sys)
    actions.create_field(acme.org, label="BHK", type="choice", choices=["2", "3"], actor=sys)
    lead = new_lead(acme, name="Kiran Rao", phone="98765 11111", custom_fields={**VALUES, "bhk": "2"})
    other = new_lead(acme, name="Meena Iyer", phone="98765 22222", custom_fields={"pan": "MEENA9999Q"})
    return lead, other


def test_the_access_export_holds_the_custom_values(acme, person):
    lead, _other = person
    out = io.BytesIO()
    build_zip(Subject(org=acme.org, lead=lead), out)
    data, _tables = read_zip(out.getvalue())
    assert data["data"]["leads"][0]["custom_fields"] == {**VALUES, "bhk": "2"}


@pytest.mark.django_db(transaction=True)
def test_erasure_leaves_no_trace_of_a_custom_value(acme, person):
    lead, other = person
    assert scan_database(set(VALUES.values()))  # the scanner sees them before
    erase_lead(lead, actor=Actor.for_user(acme.olga.user), by=acme.olga)
    assert scan_database(set(VALUES.values()) | {"98111 22233", "9811122233"}) == []
    lead.refresh_from_db()
    other.refresh_from_db()
    assert lead.custom_fields == {} and other.custom_fields == {"pan": "MEENA9999Q"}
