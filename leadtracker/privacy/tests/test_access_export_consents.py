"""A lead's and a member's export carry their marketing-consent history, and only theirs."""

from leadtracker.accounts.audit import Actor
from leadtracker.leads.consent import set_lead_consent, set_member_consent
from leadtracker.privacy.tests.export_util import lead_with_history, read_zip
from leadtracker.privacy.tests.test_access_export import A_WORDS, B_WORDS, export_bytes


def test_lead_export_holds_its_consent_history_and_not_another_leads(acme):
    a, *_ = lead_with_history(
        acme, name="Ravi", phones=["+919876543210"], email="ravi@example.in", words=A_WORDS
    )
    b, *_ = lead_with_history(
        acme, name="Sunita", phones=["+919811111111"], email="s@example.in", words=B_WORDS
    )
    actor = Actor.for_user(acme.adam.user)
    set_lead_consent(a, given=True, method="phone", actor=actor, by=acme.adam, note="said yes on the call")
    set_lead_consent(a, given=False, method="email", actor=actor, by=acme.adam, note="wrote to stop")
    set_lead_consent(
        b, given=True, method="in_person", actor=actor, by=acme.adam, note="B agreed at the stall"
    )
    person, tables = read_zip(export_bytes(acme.org, lead=a))
    rows = tables["consents"]
    assert [(r["given"], r["method"], r["note"]) for r in rows] == [
        ("yes", "phone", "said yes on the call"),
        ("no", "email", "wrote to stop"),
    ]
    assert [c["note"] for c in person["data"]["consents"]] == ["said yes on the call", "wrote to stop"]
    assert "B agreed at the stall" not in str(person)


def test_member_export_holds_their_own_consent_toggles(acme):
    actor = Actor.for_user(acme.alice.user)
    set_member_consent(acme.alice, given=True, actor=actor, by=acme.alice, note="newsletter please")
    set_member_consent(
        acme.maya, given=True, actor=Actor.for_user(acme.maya.user), by=acme.maya, note="maya's"
    )
    person, tables = read_zip(export_bytes(acme.org, member=acme.alice))
    assert [r["note"] for r in tables["consents"]] == ["newsletter please"]
    assert "maya's" not in str(person)
