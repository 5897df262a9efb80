"""The admins' data requests pages: register, list, handle."""

import datetime as dt

from django.utils import timezone

from leadtracker.privacy.models import DataRequest
from leadtracker.privacy.tests.requests_util import make_lead, make_request
from leadtracker.testing import login_client


def test_admin_registers_by_phone_and_closes_a_request(acme):
    lead = make_lead(acme, phone="+919876543210")
    client = login_client(acme.adam)
    assert "No data requests yet" in client.get("/settings/privacy/requests/").content.decode()
    form = client.get("/settings/privacy/requests/new/").content.decode()
    assert "Due 30 days later" in form
    response = client.post(
        "/settings/privacy/requests/new/",
        {
            "kind": "erasure",
            "lead_contact": "98765 43210",
            "member": "",
            "requested_by": "Ravi's lawyer",
            "channel": "letter",
            "received_on": "",
            "details": "Erase everything",
            "verification_note": "",
        },
    )
    req = DataRequest.objects.get(organisation=acme.org)
    assert response.status_code == 302 and response["Location"] == f"/settings/privacy/requests/{req.pk}/"
    assert req.lead == lead and req.kind == "erasure"
    page = client.get(response["Location"]).content.decode()
    assert "Ravi&#x27;s lawyer" in page and "Handle" in page
    url = f"/settings/privacy/requests/{req.pk}/"
    response = client.post(url, {"status": "refused", "verification_note": "ID seen", "outcome": ""})
    assert response.status_code == 400 and "refusal reason" in response.content.decode().replace("_", " ")
    response = client.post(
        url,
        {"status": "refused", "verification_note": "ID seen", "outcome": "", "refusal_reason": "Legal hold"},
    )
    assert response.status_code == 302
    req.refresh_from_db()
    assert req.closed_by == acme.adam.user and req.refusal_reason == "Legal hold"
    assert "cannot change" in client.get(url).content.decode()


def test_bad_subject_is_shown_naming_the_field(acme):
    client = login_client(acme.olga)
    response = client.post(
        "/settings/privacy/requests/new/",
        {"kind": "access", "lead_contact": "nobody@example.in", "requested_by": "X", "channel": "email"},
    )
    assert response.status_code == 400 and "lead contact" in response.content.decode().replace("_", " ")
    response = client.post(
        "/settings/privacy/requests/new/",
        {"kind": "access", "member": str(acme.alice.pk), "requested_by": "Alice", "channel": "email"},
    )
    assert response.status_code == 302
    assert DataRequest.objects.get(organisation=acme.org).member == acme.alice


def test_list_flags_overdue_first_and_sets_the_period(acme):
    late = make_request(acme, received_at=timezone.now() - dt.timedelta(days=31))
    client = login_client(acme.adam)
    page = client.get("/settings/privacy/requests/").content.decode()
    assert "Overdue: due" in page and f"#{late.pk}" in page and "row-card overdue" in page
    assert client.post("/settings/privacy/requests/", {"request_period_days": "20"}).status_code == 302
    assert "Due 20 days later" in client.get("/settings/privacy/requests/new/").content.decode()
    client.post("/settings/privacy/requests/", {"request_period_days": "0"})
    assert "Due 20 days later" in client.get("/settings/privacy/requests/new/").content.decode()


def test_only_admins_and_owners_and_another_organisations_id_is_404(acme, globex):
    ours = make_request(acme)
    theirs = make_request(globex)
    for member in (acme.alice, acme.maya):
        client = login_client(member)
        for url in ("/settings/privacy/requests/", "/settings/privacy/requests/new/"):
            assert client.get(url).status_code == 403
        assert client.get(f"/settings/privacy/requests/{ours.pk}/").status_code == 403
        assert "Data requests" not in client.get("/").content.decode()
    client = login_client(acme.olga)
    assert client.get(f"/settings/privacy/requests/{theirs.pk}/").status_code == 404
    assert client.post(f"/settings/privacy/requests/{theirs.pk}/", {"status": "done"}).status_code == 404
    assert client.get(f"/settings/privacy/requests/{ours.pk}/").status_code == 200
