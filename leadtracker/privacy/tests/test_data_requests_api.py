"""/api/v1/privacy/requests and /api/v1/privacy/settings: admins and owners only."""

from leadtracker.privacy.tests.requests_util import make_lead, make_request
from leadtracker.testing import token_client


def post(client, url, body):
    return client.post(url, body, content_type="application/json")


def patch(client, url, body):
    return client.patch(url, body, content_type="application/json")


def test_register_by_phone_handle_and_close(acme):
    lead = make_lead(acme, phone="+919876543210")
    api = token_client(acme.adam)
    body = {"kind": "correction", "requested_by": "Ravi", "channel": "phone", "phone": "098765 43210"}
    response = post(api, "/api/v1/privacy/requests", body)
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["lead_id"] == lead.pk and created["status"] == "open" and not created["overdue"]
    url = f"/api/v1/privacy/requests/{created['id']}"
    response = patch(api, url, {"status": "refused"})
    assert response.status_code == 400 and response.json()["errors"][0]["field"] == "refusal_reason"
    response = patch(api, url, {"status": "refused", "refusal_reason": "Not the person's own data"})
    assert response.status_code == 200 and response.json()["closed_at"]
    assert response.json()["closed_by_id"] == acme.adam.user_id
    assert patch(api, url, {"outcome": "late"}).status_code == 409
    assert api.get(url).json()["status"] == "refused"
    listing = api.get("/api/v1/privacy/requests").json()
    assert [r["id"] for r in listing] == [created["id"]]


def test_register_by_e_mail_and_settings(acme):
    lead = make_lead(acme, email="ravi@example.in")
    api = token_client(acme.olga)
    assert api.get("/api/v1/privacy/settings").json() == {"request_period_days": 30}
    assert patch(api, "/api/v1/privacy/settings", {"request_period_days": 10}).status_code == 200
    body = {"kind": "access", "requested_by": "Ravi", "channel": "email", "email": "RAVI@example.in"}
    created = post(api, "/api/v1/privacy/requests", body).json()
    assert created["lead_id"] == lead.pk
    import datetime as dt

    due = dt.datetime.fromisoformat(created["due_at"]) - dt.datetime.fromisoformat(created["received_at"])
    assert due == dt.timedelta(days=10)


def test_list_puts_open_requests_first_by_due_date(acme):
    import datetime as dt

    from django.utils import timezone

    from leadtracker.accounts.audit import Actor
    from leadtracker.privacy.requests import actions

    now = timezone.now()
    closed = make_request(acme, received_at=now - dt.timedelta(days=60))
    actions.update_request(closed, actor=Actor.system(), status="done", outcome="sent")
    newer = make_request(acme, lead=make_lead(acme, phone="+919812345678", email="n@example.in"))
    older = make_request(
        acme,
        lead=make_lead(acme, phone="+919812345679", email="o@example.in"),
        received_at=now - dt.timedelta(days=40),
    )
    listing = token_client(acme.adam).get("/api/v1/privacy/requests").json()
    assert [r["id"] for r in listing] == [older.pk, newer.pk, closed.pk]
    assert [r["overdue"] for r in listing] == [True, False, False]


def test_errors_name_the_field(acme):
    make_lead(acme)
    api = token_client(acme.adam)
    base = {"kind": "access", "requested_by": "Ravi", "channel": "email"}
    cases = [
        ({**base, "phone": "+919999999999"}, 400, "phone"),
        ({**base, "phone": "abc"}, 400, "phone"),
        ({**base, "email": "not-an-address"}, 422, "email"),
        ({**base, "kind": "deletion", "email": "ravi@example.in"}, 422, "kind"),
        ({**base, "requested_by": "", "email": "ravi@example.in"}, 422, "requested_by"),
        ({**base, "email": "ravi@example.in", "surprise": 1}, 422, "surprise"),
        (base, 400, "subject"),
        ({**base, "received_at": "2020-01-01T10:00:00", "email": "ravi@example.in"}, 400, "received_at"),
    ]
    for body, status, field in cases:
        response = post(api, "/api/v1/privacy/requests", body)
        assert response.status_code == status, (body, response.content)
        assert field in [e["field"] for e in response.json()["errors"]], (body, response.json())
    req = make_request(acme, lead=make_lead(acme, phone="+919812345678", email="x@example.in"))
    for body, field in (({"status": "closed"}, "status"), ({"status": None}, "status")):
        response = patch(api, f"/api/v1/privacy/requests/{req.pk}", body)
        assert response.status_code == 422 and response.json()["errors"][0]["field"] == field
    response = patch(api, "/api/v1/privacy/settings", {"request_period_days": 0})
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "request_period_days"


def test_only_admins_and_owners_and_another_organisations_id_is_404(acme, globex):
    ours = make_request(acme)
    theirs = make_request(globex)
    for member in (acme.alice, acme.maya):
        api = token_client(member)
        assert api.get("/api/v1/privacy/requests").status_code == 403
        assert api.get(f"/api/v1/privacy/requests/{ours.pk}").status_code == 403
        body = {"kind": "access", "requested_by": "x", "channel": "email", "lead_id": ours.lead_id}
        assert post(api, "/api/v1/privacy/requests", body).status_code == 403
        assert patch(api, "/api/v1/privacy/settings", {"request_period_days": 5}).status_code == 403
    api = token_client(acme.adam)
    assert api.get(f"/api/v1/privacy/requests/{theirs.pk}").status_code == 404
    assert patch(api, f"/api/v1/privacy/requests/{theirs.pk}", {"outcome": "x"}).status_code == 404
    body = {"kind": "access", "requested_by": "x", "channel": "email", "lead_id": theirs.lead_id}
    assert post(api, "/api/v1/privacy/requests", body).status_code == 404
    assert theirs.pk not in [r["id"] for r in api.get("/api/v1/privacy/requests").json()]
