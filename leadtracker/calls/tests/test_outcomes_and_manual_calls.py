"""After a call: outcome, note and next follow-up (API and page); calls logged by hand."""

import datetime as dt

from django.utils import timezone

from leadtracker.calls.models import Call, CallBack, Outcome
from leadtracker.leads.models import FollowUp, Lead
from leadtracker.testing import call, make_lead, send


def _outcome(org, name):
    return Outcome.objects.get(organisation=org, name=name)


def test_every_organisation_starts_with_the_usual_outcomes(acme, as_member):
    names = [d["name"] for d in as_member(acme.alice).get("/api/v1/outcomes").json()]
    assert names[:3] == ["Interested", "Call back later", "Not interested"]
    assert "Wrong number" in names and "Switched off / not reachable" in names


def test_recording_an_outcome_with_the_next_follow_up(acme, phone, as_member):
    lead = make_lead(acme, owner=acme.alice)
    send(phone, [call(1)])
    c = Call.objects.get()
    due = (timezone.now() + dt.timedelta(days=1)).replace(microsecond=0)
    later = _outcome(acme.org, "Call back later")
    response = as_member(acme.alice).post(
        f"/api/v1/calls/{c.pk}/outcome",
        {"outcome_id": later.pk, "note": "बाद में कॉल करें 🙏", "follow_up": {"due_at": due.isoformat()}},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    c.refresh_from_db()
    assert c.outcome == later and c.note == "बाद में कॉल करें 🙏" and c.disposed_by == acme.alice.user
    fu = FollowUp.objects.get(lead=lead)
    assert fu.due_at == due and fu.assignee_id == acme.alice.user_id and fu.kind == "call"
    lead.refresh_from_db()
    assert lead.next_follow_up_at == due
    entry = next(
        e
        for e in as_member(acme.alice).get(f"/api/v1/leads/{lead.pk}/timeline").json()
        if e["kind"] == "call"
    )
    assert entry["data"]["outcome"] == "Call back later" and entry["body"] == "बाद में कॉल करें 🙏"


def test_outcome_page_on_a_phone_form(acme, phone, as_member):
    make_lead(acme, owner=acme.alice)
    send(phone, [call(1)])
    c = Call.objects.get()
    client = as_member(acme.alice)
    page = client.get("/calls/recent/").content.decode()
    assert f"/calls/{c.pk}/" in page
    interested = _outcome(acme.org, "Interested")
    response = client.post(
        f"/calls/{c.pk}/",
        {
            "outcome": interested.pk,
            "note": "Wants a site visit",
            "follow_up_at": "2030-01-02T11:30",
            "follow_up_kind": "visit",
        },
    )
    assert response.status_code == 302
    c.refresh_from_db()
    assert c.outcome == interested
    fu = FollowUp.objects.get()
    assert fu.kind == "visit" and fu.due_at == dt.datetime(2030, 1, 2, 6, 0, tzinfo=dt.UTC)  # 11:30 IST


def test_nobody_else_records_an_agents_outcome(acme, phone, as_member):
    send(phone, [call(1)])
    c = Call.objects.get()
    body = {"note": "x"}
    assert (
        as_member(acme.bob)
        .post(f"/api/v1/calls/{c.pk}/outcome", body, content_type="application/json")
        .status_code
        == 404
    )
    assert (
        as_member(acme.maya)
        .post(f"/api/v1/calls/{c.pk}/outcome", body, content_type="application/json")
        .status_code
        == 200
    )
    assert (
        as_member(acme.mark)
        .post(f"/api/v1/calls/{c.pk}/outcome", body, content_type="application/json")
        .status_code
        == 404
    )


def test_a_hidden_or_foreign_outcome_is_refused(acme, globex, phone, as_member):
    send(phone, [call(1)])
    c = Call.objects.get()
    theirs = Outcome.objects.filter(organisation=globex.org).first()
    response = as_member(acme.alice).post(
        f"/api/v1/calls/{c.pk}/outcome", {"outcome_id": theirs.pk}, content_type="application/json"
    )
    assert response.status_code == 404 and response.json()["errors"][0]["field"] == "outcome_id"


def test_a_follow_up_needs_a_lead(acme, phone, as_member):
    send(phone, [call(1, number="+919811111111")])
    c = Call.objects.get()
    response = as_member(acme.alice).post(
        f"/api/v1/calls/{c.pk}/outcome",
        {"follow_up": {"due_at": "2030-01-01T10:00:00+05:30"}},
        content_type="application/json",
    )
    assert response.status_code == 400 and response.json()["errors"][0]["field"] == "follow_up"
    assert not FollowUp.objects.exists() and Call.objects.get().outcome_id is None


def test_logging_a_call_by_hand_closes_a_call_back_and_is_idempotent(acme, phone, as_member):
    lead = make_lead(acme, owner=acme.alice)
    send(phone, [call(1, type="missed", duration_s=0, minutes_ago=30)])
    missed = CallBack.objects.get()
    assert missed.closed_at is None
    started = missed.missed_at + dt.timedelta(minutes=20)
    body = {
        "lead_id": lead.pk,
        "direction": "out",
        "connected": True,
        "started_at": started.isoformat(),
        "duration_s": 120,
    }
    client = as_member(acme.alice)
    first = client.post("/api/v1/calls", body, content_type="application/json")
    assert (
        first.status_code == 201 and first.json()["via"] == "manual" and first.json()["status"] == "connected"
    )
    again = client.post("/api/v1/calls", body, content_type="application/json")
    assert again.status_code == 200 and again.json()["id"] == first.json()["id"]
    cb = CallBack.objects.get()
    assert cb.seconds_to_return == 20 * 60
    lead.refresh_from_db()
    assert lead.last_contacted_at == started


def test_manual_logging_from_the_page_by_number(acme, as_member):
    lead = make_lead(acme, phones=["+919822222222"], owner=acme.bob)
    response = as_member(acme.bob).post(
        "/calls/log/",
        {
            "number": "98222 22222",
            "direction": "out",
            "connected": "0",
            "minutes": "",
            "follow_up_kind": "call",
        },
    )
    assert response.status_code == 302
    c = Call.objects.get()
    assert c.lead_id == lead.pk and c.status == "not_connected" and c.device_id is None


def test_manual_logging_names_the_bad_field(acme, as_member):
    client = as_member(acme.bob)
    response = client.post("/api/v1/calls", {"number": "12"}, content_type="application/json")
    assert response.status_code == 400 and response.json()["errors"][0]["field"] == "number"
    future = (timezone.now() + dt.timedelta(hours=2)).isoformat()
    response = client.post(
        "/api/v1/calls", {"number": "+919822222222", "started_at": future}, content_type="application/json"
    )
    assert response.status_code == 400 and response.json()["errors"][0]["field"] == "started_at"
    assert not Call.objects.exists() and not Lead.objects.exists()


def test_admins_manage_outcomes_and_others_may_not(acme, as_member):
    admin = as_member(acme.adam)
    response = admin.post(
        "/api/v1/outcomes",
        {"name": "Visited site", "asks_follow_up": True},
        content_type="application/json",
    )
    assert response.status_code == 201
    new_id = response.json()["id"]
    assert (
        admin.post("/api/v1/outcomes", {"name": "visited SITE"}, content_type="application/json").status_code
        == 409
    )
    response = admin.put(
        f"/api/v1/outcomes/{new_id}",
        {"name": "Visited site", "is_active": False},
        content_type="application/json",
    )
    assert response.status_code == 200 and response.json()["is_active"] is False
    names = [d["name"] for d in as_member(acme.alice).get("/api/v1/outcomes").json()]
    assert "Visited site" not in names
    assert (
        as_member(acme.maya)
        .post("/api/v1/outcomes", {"name": "X"}, content_type="application/json")
        .status_code
        == 403
    )
    assert as_member(acme.alice).get("/calls/outcomes/").status_code == 403
    page = admin.post("/calls/outcomes/", {"name": "Demo booked", "is_active": "on"})
    assert (
        page.status_code == 302 and Outcome.objects.filter(organisation=acme.org, name="Demo booked").exists()
    )


def test_a_phone_without_call_log_permission_still_logs_calls_by_hand(acme, phone):
    lead = make_lead(acme, owner=acme.alice)
    state = phone.post(
        "/api/v1/devices/state", {"call_log_permission": "revoked"}, content_type="application/json"
    )
    assert state.status_code == 200
    outcomes = phone.get("/api/v1/outcomes").json()
    body = {"lead_id": lead.pk, "connected": True, "duration_s": 60, "outcome_id": outcomes[0]["id"]}
    response = phone.post("/api/v1/calls", body, content_type="application/json")
    assert response.status_code == 201
    assert (
        response.json()["user_id"] == acme.alice.user_id
        and response.json()["outcome_id"] == outcomes[0]["id"]
    )
    # A device token opens nothing else of the API.
    assert phone.get("/api/v1/calls").status_code == 401
