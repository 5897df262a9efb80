"""What an outcome does, set on the outcomes page: the status it moves a lead to, whether it
requires a next follow-up, whether the person was reached. New organisations start with them
set; another organisation's status cannot be chosen."""

import pytest

from leadtracker.calls.models import Outcome
from leadtracker.leads.models import LeadStatus


@pytest.mark.django_db
def test_a_new_organisation_starts_with_configured_outcomes(acme):
    outcomes = {
        o.name: o for o in Outcome.objects.filter(organisation=acme.org).select_related("sets_status")
    }
    assert outcomes["Interested"].sets_status.name == "Interested"
    assert outcomes["Not interested"].sets_status.name == "Lost"
    assert outcomes["Busy"].asks_follow_up and not outcomes["Busy"].connected
    assert outcomes["No answer"].asks_follow_up and not outcomes["No answer"].connected
    assert outcomes["Wrong number"].sets_status is None and outcomes["Wrong number"].connected


@pytest.mark.django_db
def test_the_outcomes_page_sets_status_requirement_and_reach(acme, globex, as_member):
    admin = as_member(acme.adam)
    busy = Outcome.objects.get(organisation=acme.org, name="Busy")
    visit = LeadStatus.objects.get(organisation=acme.org, name="Meeting/Site visit")
    page = admin.get("/calls/outcomes/").content.decode()
    assert "Requires a next follow-up" in page and "Moves the lead to" in page
    answer = admin.post(
        "/calls/outcomes/",
        {"id": busy.pk, "name": "Busy", "sets_status_id": visit.pk, "connected": "on", "is_active": "on"},
    )
    assert answer.status_code == 302
    busy.refresh_from_db()
    assert (busy.sets_status_id, busy.asks_follow_up, busy.connected) == (visit.pk, False, True)
    theirs = LeadStatus.objects.get(organisation=globex.org, name="Won")
    answer = admin.post(
        "/calls/outcomes/", {"id": busy.pk, "name": "Busy", "sets_status_id": theirs.pk, "is_active": "on"}
    )
    assert answer.status_code == 422
    busy.refresh_from_db()
    assert busy.sets_status_id == visit.pk


@pytest.mark.django_db
def test_the_api_sets_them_and_keeps_them_when_left_out(acme, globex, api_as):
    client = api_as(acme.olga)
    busy = Outcome.objects.get(organisation=acme.org, name="Busy")
    visit = LeadStatus.objects.get(organisation=acme.org, name="Meeting/Site visit")
    url = f"/api/v1/outcomes/{busy.pk}"
    body = {"name": "Busy", "asks_follow_up": True, "sets_status_id": visit.pk, "connected": True}
    answer = client.put(url, body, content_type="application/json").json()
    assert (answer["sets_status_id"], answer["connected"]) == (visit.pk, True)
    answer = client.put(url, {"name": "Busy now", "asks_follow_up": True}, content_type="application/json")
    assert (answer.json()["sets_status_id"], answer.json()["connected"]) == (visit.pk, True)
    theirs = LeadStatus.objects.get(organisation=globex.org, name="Won")
    body = {"name": "Busy", "sets_status_id": theirs.pk}
    assert client.put(url, body, content_type="application/json").status_code == 404
    body = {"name": "Busy", "sets_status_id": None}
    assert client.put(url, body, content_type="application/json").json()["sets_status_id"] is None
