"""A follow-up is planned within five years from now and at most a year late, through the API
and the lead page alike: anything else is refused (422 naming due_at) and nothing is stored.
A follow-up planned for 9999-12-31T23:59:59Z once made its lead's page answer 500 for everyone."""

import datetime as dt

import pytest
from django.utils import timezone

from leadtracker.accounts.models import AuditEvent
from leadtracker.leads.models import FollowUp
from leadtracker.lib.timeutil import YEAR
from leadtracker.testing import clocks

LAST = "9999-12-31T23:59:59Z"


def iso(moment: dt.datetime) -> str:
    return moment.isoformat()


def post(client, lead, due_at):
    return client.post(
        f"/api/v1/leads/{lead.pk}/follow-ups", {"due_at": due_at}, content_type="application/json"
    )


def refused(response, field="due_at", words="in the future"):
    assert response.status_code == 422, response.content
    errors = response.json()["errors"]
    assert errors[0]["field"] == field and words in errors[0]["message"], errors
    return errors[0]["message"]


@pytest.mark.parametrize(
    "due_at, words",
    [
        (LAST, "is more than 5 years in the future"),
        (iso(timezone.now() + 5 * YEAR + dt.timedelta(days=2)), "is more than 5 years in the future"),
        (iso(timezone.now() - YEAR - dt.timedelta(days=2)), "is more than 1 year in the past"),
        ("0001-01-01T00:00:00Z", "is more than 1 year in the past"),
    ],
    ids=["year-9999", "five-years-and-days", "a-year-and-days-ago", "year-1"],
)
def test_the_api_refuses_a_follow_up_out_of_range(acme, api_as, new_lead, due_at, words):
    lead = new_lead(acme, name="Raj", by=acme.alice)
    refused(post(api_as(acme.alice), lead, due_at), words=words)
    assert not FollowUp.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="lead.follow_up").exists()


@clocks("sunday", "29-february")
def test_the_api_takes_one_within_range(frozen_at, acme, api_as, new_lead):
    lead = new_lead(acme, name="Raj", by=acme.alice)
    client = api_as(acme.alice)
    # The same date five years on is inside the window, and so is one noted a few months late.
    # (Five years after a 29 February there is none: the 28th.)
    now = timezone.now()
    five_years = now.replace(year=now.year + 5, day=min(now.day, 28) if now.month == 2 else now.day)
    five_years -= dt.timedelta(hours=1)
    assert post(client, lead, iso(five_years)).status_code == 201
    assert post(client, lead, iso(timezone.now() - dt.timedelta(days=200))).status_code == 201


def test_moving_a_follow_up_is_held_to_the_same_window(acme, api_as, new_lead):
    lead = new_lead(acme, name="Raj", by=acme.alice)
    client = api_as(acme.alice)
    fu_id = post(client, lead, iso(timezone.now() + dt.timedelta(days=1))).json()["id"]
    before = FollowUp.objects.get(pk=fu_id).due_at
    response = client.patch(f"/api/v1/follow-ups/{fu_id}", {"due_at": LAST}, content_type="application/json")
    refused(response)
    assert FollowUp.objects.get(pk=fu_id).due_at == before


def test_an_old_follow_up_keeps_its_time_while_its_note_changes(acme, api_as, as_member, new_lead):
    """A follow-up overdue for two years (from before the window) is not refused for keeping it."""
    lead = new_lead(acme, name="Raj", by=acme.alice)
    client = api_as(acme.alice)
    fu_id = post(client, lead, iso(timezone.now() + dt.timedelta(days=1))).json()["id"]
    old = (timezone.now() - 2 * YEAR).replace(second=0, microsecond=0)
    FollowUp.objects.filter(pk=fu_id).update(due_at=old, remind_at=old)
    response = client.patch(
        f"/api/v1/follow-ups/{fu_id}",
        {"due_at": iso(old), "note": "still to call"},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    # The lead page's edit form sends the time back as it shows it, in the organisation's zone.
    local = timezone.localtime(old, acme.org.tzinfo).strftime("%Y-%m-%dT%H:%M")
    response = as_member(acme.alice).post(
        f"/follow-ups/{fu_id}/edit/",
        {"due_at": local, "kind": "call", "note": "called, no answer", "remind_minutes_before": 15},
    )
    assert response.status_code == 302
    fu = FollowUp.objects.get(pk=fu_id)
    assert fu.note == "called, no answer" and fu.due_at == old


@pytest.mark.parametrize("typed", ["9999-12-31T23:59", "0001-01-01T00:00", "2999-01-01T10:00"])
def test_the_lead_page_refuses_it_naming_the_field(acme, as_member, new_lead, typed):
    lead = new_lead(acme, name="Raj", by=acme.alice)
    client = as_member(acme.alice)
    response = client.post(
        f"/leads/{lead.pk}/follow-up/",
        {"due_at": typed, "kind": "call", "note": "", "remind_minutes_before": 15},
        follow=True,
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "When: is more than" in page and "due_at:" not in page and "Follow-up planned." not in page
    assert not FollowUp.objects.exists()


def test_the_lead_page_refuses_moving_one_out_of_range(acme, as_member, api_as, new_lead):
    lead = new_lead(acme, name="Raj", by=acme.alice)
    fu_id = post(api_as(acme.alice), lead, iso(timezone.now() + dt.timedelta(days=1))).json()["id"]
    before = FollowUp.objects.get(pk=fu_id).due_at
    response = as_member(acme.alice).post(
        f"/follow-ups/{fu_id}/edit/",
        {"due_at": "9999-12-31T23:59", "kind": "call", "note": "", "remind_minutes_before": 15},
        follow=True,
    )
    assert "When: is more than 5 years in the future" in response.content.decode()
    assert FollowUp.objects.get(pk=fu_id).due_at == before
