"""The next follow-up planned with a call's outcome, or with a call logged by hand, is held to
the follow-ups' window (within five years, at most a year late): refused with 422 naming
follow_up.due_at in the API and the "Next follow-up" field on the page, and nothing is saved,
not the outcome either."""

import pytest

from leadtracker.calls.models import Call
from leadtracker.leads.models import FollowUp
from leadtracker.testing import call, make_lead, send

TIMES = ["9999-12-31T23:59:59Z", "0001-01-01T00:00:00+05:30", "2999-01-01T10:00:00+05:30"]


def named(response):
    assert response.status_code == 422, response.content
    error = response.json()["errors"][0]
    assert error["field"] == "follow_up.due_at", error
    return error["message"]


@pytest.mark.parametrize("due_at", TIMES)
def test_an_outcome_with_a_follow_up_out_of_range(acme, phone, as_member, due_at):
    make_lead(acme, owner=acme.alice)
    send(phone, [call(1)])
    c = Call.objects.get()
    response = as_member(acme.alice).post(
        f"/api/v1/calls/{c.pk}/outcome",
        {"note": "call me in a while", "follow_up": {"due_at": due_at}},
        content_type="application/json",
    )
    assert "years in the future" in named(response) or "year in the past" in named(response)
    c.refresh_from_db()
    assert c.note == "" and c.disposed_at is None and not FollowUp.objects.exists()


def test_a_call_logged_by_hand_with_a_follow_up_in_9999(acme, as_member):
    lead = make_lead(acme, owner=acme.alice)
    response = as_member(acme.alice).post(
        "/api/v1/calls",
        {"lead_id": lead.pk, "duration_s": 60, "follow_up": {"due_at": "9999-12-31T23:59:59Z"}},
        content_type="application/json",
    )
    assert named(response) == "is more than 5 years in the future"
    assert not Call.objects.exists() and not FollowUp.objects.exists()


@pytest.mark.parametrize("typed", ["9999-12-31T23:59", "0001-01-01T00:00"])
def test_the_outcome_page_names_the_next_follow_up(acme, phone, as_member, typed):
    make_lead(acme, owner=acme.alice)
    send(phone, [call(1)])
    c = Call.objects.get()
    response = as_member(acme.alice).post(f"/calls/{c.pk}/", {"note": "later", "follow_up_at": typed})
    assert response.status_code == 422
    page = response.content.decode()
    assert "<strong>Next follow-up:</strong> is more than" in page
    c.refresh_from_db()
    assert c.note == "" and not FollowUp.objects.exists()
