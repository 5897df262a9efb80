"""Nothing answers success while saving nothing. An outcome on a call from a number that is no
lead is saved (its form once required a "Kind" the page never showed: 200, nothing saved, no
word). And every form page of the calls app, sent something it refuses, answers 422 with the
page naming the field and the reason — and writes nothing, not even an audit event."""

import datetime as dt

import pytest

from leadtracker.accounts.models import AuditEvent
from leadtracker.calls.models import Call, Outcome, PairingCode
from leadtracker.leads.models import FollowUp, Lead
from leadtracker.testing import call, make_lead, send

UNKNOWN = "+919812345678"


def outcome(org, name):
    return Outcome.objects.get(organisation=org, name=name)


@pytest.fixture
def no_lead_call(acme, phone):
    send(phone, [call(1, number=UNKNOWN, type="missed", duration_s=0, minutes_ago=30)])
    return Call.objects.get()


def snapshot(*models):
    """What is in the tables a refused form must not touch."""
    return {m.__name__: sorted(m.objects.values_list("pk", flat=True)) for m in (*models, AuditEvent)}


def refused(response, *named):
    page = response.content.decode()
    assert response.status_code == 422, response.status_code
    assert 'role="alert"' in page and "Not saved —" in page
    for text in named:
        assert text in page, f"{text!r} is not on the page"
    return page


# --- an outcome on a call with no lead -------------------------------------------------------


def test_an_outcome_on_a_call_from_a_number_that_is_no_lead_is_saved(acme, as_member, no_lead_call):
    client = as_member(acme.alice)
    page = client.get(f"/calls/{no_lead_call.pk}/").content.decode()
    assert 'name="follow_up_at"' not in page and 'name="follow_up_kind"' not in page
    assert "A next follow-up needs a lead" in page
    wrong = outcome(acme.org, "Wrong number")
    response = client.post(
        f"/calls/{no_lead_call.pk}/",
        {"outcome": wrong.pk, "note": "Asked for Sharma ji", "back": "/calls/missed/"},
    )
    assert response.status_code == 302 and response["Location"] == "/calls/missed/"
    no_lead_call.refresh_from_db()
    assert no_lead_call.outcome == wrong and no_lead_call.note == "Asked for Sharma ji"
    assert no_lead_call.disposed_by == acme.alice.user
    # Shown where it was recorded from, and in Recent calls.
    assert "Outcome: Wrong number · Asked for Sharma ji" in client.get("/calls/missed/").content.decode()
    assert "Wrong number" in client.get("/calls/recent/").content.decode()
    assert not FollowUp.objects.exists()


def test_a_follow_up_sent_anyway_for_a_call_without_a_lead_is_not_taken(acme, as_member, no_lead_call):
    """The fields are not on the form: a follow-up date posted by hand is ignored, the outcome
    saved — the page never claims a follow-up it did not plan."""
    wrong = outcome(acme.org, "Busy")
    response = as_member(acme.alice).post(
        f"/calls/{no_lead_call.pk}/",
        {"outcome": wrong.pk, "follow_up_at": "2030-01-02T11:30", "follow_up_kind": "call"},
    )
    assert response.status_code == 302
    assert Call.objects.get().outcome == wrong and not FollowUp.objects.exists()


# --- refused forms: 422, the error named, nothing written -------------------------------------


def test_the_outcome_form(acme, as_member, phone):
    lead = make_lead(acme, owner=acme.alice)
    send(phone, [call(1)])
    c = Call.objects.get(lead=lead)
    before = snapshot(FollowUp)
    client = as_member(acme.alice)
    refused(client.post(f"/calls/{c.pk}/", {"note": "x" * 2001}), "Note:", "at most 2000 characters")
    refused(client.post(f"/calls/{c.pk}/", {"outcome": "999999"}), "Outcome:", "Select a valid choice")
    refused(
        client.post(f"/calls/{c.pk}/", {"follow_up_at": "2030-01-02T11:30", "follow_up_kind": "fax"}),
        "Kind:",
        "Select a valid choice",
    )
    refused(
        client.post(f"/calls/{c.pk}/", {"follow_up_at": "tomorrow"}), "Next follow-up:", "Enter a valid date"
    )
    # A hidden outcome (refused by the action, not the form) is named too.
    hidden = outcome(acme.org, "Busy")
    Outcome.objects.filter(pk=hidden.pk).update(is_active=False)
    refused(client.post(f"/calls/{c.pk}/", {"outcome": hidden.pk}), "Outcome:")
    c.refresh_from_db()
    assert c.outcome_id is None and c.note == "" and c.disposed_at is None
    assert snapshot(FollowUp) == before


def test_an_outcome_form_sent_empty_saves_nothing_and_says_so(acme, as_member, phone, no_lead_call):
    """ "— choose —" and no note used to answer "Outcome saved." and empty a saved outcome."""
    lead = make_lead(acme, owner=acme.alice)
    send(phone, [call(2)])
    c = Call.objects.get(lead=lead)
    client = as_member(acme.alice)
    busy = outcome(acme.org, "Busy")
    client.post(f"/calls/{c.pk}/", {"outcome": busy.pk, "note": "Call at 6"}, follow=True)
    for target in (c, no_lead_call):
        before = Call.objects.values_list("outcome_id", "note", "disposed_at").get(pk=target.pk)
        page = refused(
            client.post(f"/calls/{target.pk}/", {"outcome": "", "note": "  ", "back": "/calls/recent/"}),
            "Choose an outcome, write a note or plan a follow-up",
        )
        assert "Outcome saved" not in page
        assert Call.objects.values_list("outcome_id", "note", "disposed_at").get(pk=target.pk) == before
    assert Call.objects.get(pk=c.pk).outcome == busy


def test_the_outcome_form_of_a_call_without_a_lead(acme, as_member, no_lead_call):
    before = snapshot(Lead)
    refused(
        as_member(acme.alice).post(f"/calls/{no_lead_call.pk}/", {"note": "x" * 2001}),
        "Note:",
        "at most 2000 characters",
    )
    no_lead_call.refresh_from_db()
    assert no_lead_call.note == "" and no_lead_call.disposed_at is None
    assert snapshot(Lead) == before


def test_the_manual_call_form(acme, as_member):
    before = snapshot(Call)
    client = as_member(acme.alice)
    refused(
        client.post(
            "/calls/log/", {"number": "98123 45678", "direction": "out", "connected": "1", "note": "x" * 2001}
        ),
        "Note:",
        "at most 2000 characters",
    )
    refused(
        client.post("/calls/log/", {"number": "98123 45678", "direction": "sideways", "connected": "1"}),
        "Direction:",
    )
    refused(client.post("/calls/log/", {"number": "12", "direction": "out", "connected": "1"}), "Number:")
    future = (dt.datetime.now() + dt.timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    refused(
        client.post(
            "/calls/log/",
            {"number": "98123 45678", "direction": "out", "connected": "1", "started_at": future},
        ),
        "When:",
        "cannot be in the future",
    )
    assert snapshot(Call) == before


def test_the_outcomes_settings_form(acme, as_member):
    before = snapshot(Outcome)
    client = as_member(acme.adam)
    refused(
        client.post("/calls/outcomes/", {"name": "", "is_active": "on"}), "Name:", "This field is required"
    )
    refused(
        client.post("/calls/outcomes/", {"name": "busy", "is_active": "on"}),
        "an outcome with this name exists",
    )
    busy = outcome(acme.org, "Busy")
    refused(
        client.post("/calls/outcomes/", {"id": busy.pk, "name": "Interested", "is_active": "on"}),
        "Name:",
        "an outcome with this name exists",
    )
    assert snapshot(Outcome) == before
    assert Outcome.objects.get(pk=busy.pk).name == "Busy"


def test_the_lead_from_a_call_form(acme, as_member, no_lead_call):
    before = snapshot(Lead)
    refused(
        as_member(acme.alice).post(f"/calls/{no_lead_call.pk}/lead/", {"email": "not an e-mail"}),
        "E-mail:",
        "is not a valid e-mail address",
    )
    refused(
        as_member(acme.maya).post(f"/calls/{no_lead_call.pk}/lead/", {"owner": "12345"}),
        "Owner:",
        "Select a valid choice",
    )
    assert snapshot(Lead) == before and Call.objects.get().lead_id is None


def test_the_pairing_code_form(acme, as_member):
    before = snapshot(PairingCode)
    # A member outside what Maya sees (Carl is in Mark's team).
    response = as_member(acme.maya).post("/devices/", {"member": acme.carl.pk})
    page = response.content.decode()
    assert response.status_code == 422 and "no such member" in page and "member: no such" not in page
    assert snapshot(PairingCode) == before
