"""Retention periods on the privacy settings page and /api/v1/privacy/retention: admins and owners."""

from leadtracker.accounts.models import AuditEvent
from leadtracker.privacy.models import PrivacySettings
from leadtracker.privacy.retention import purge as retention
from leadtracker.testing import token_client


def patch(client, body):
    return client.patch("/api/v1/privacy/retention", body, content_type="application/json")


def test_api_reads_defaults_changes_some_and_keeps_the_rest(acme):
    api = token_client(acme.adam)
    got = api.get("/api/v1/privacy/retention").json()
    assert got["call_record_days"] == 365 and got["export_days"] == 7 and got["audit_days"] >= 365
    assert got["bounds"]["export_days"] == [1, 30] and got["bounds"]["call_record_days"] == [30, 3650]
    response = patch(api, {"call_record_days": 400, "export_days": 3})
    assert response.status_code == 200, response.content
    row = PrivacySettings.objects.get(organisation=acme.org)
    assert (row.call_record_days, row.export_days, row.shift_location_days) == (400, 3, 90)
    assert retention.periods_of(acme.org)["export_days"] == 3
    event = AuditEvent.objects.filter(organisation=acme.org, action="privacy_settings.updated").latest("at")
    assert event.changes == {"call_record_days": 400, "export_days": 3}


def test_api_refuses_out_of_bounds_unknown_and_null_naming_the_field(acme):
    api = token_client(acme.olga)
    cases = [
        ({"call_record_days": 29}, 400, "call_record_days"),
        ({"export_days": 31}, 400, "export_days"),
        ({"usage_days": 0}, 400, "usage_days"),
        ({"audit_days": 400}, 422, "audit_days"),
        ({"export_days": None}, 422, "export_days"),
        ({"shift_location_days": "ninety"}, 422, "shift_location_days"),
    ]
    for body, status, field in cases:
        response = patch(api, body)
        assert response.status_code == status, (body, response.content)
        assert field in response.content.decode(), (body, response.json())
    assert not PrivacySettings.objects.filter(organisation=acme.org).exists()


def test_agents_and_managers_cannot_read_or_change(acme):
    for member in (acme.alice, acme.maya):
        api = token_client(member)
        assert api.get("/api/v1/privacy/retention").status_code == 403
        assert patch(api, {"export_days": 2}).status_code == 403
    assert not PrivacySettings.objects.filter(organisation=acme.org).exists()


def test_page_saves_all_periods_and_names_a_bad_one(acme, as_member):
    client = as_member(acme.adam)
    page = client.get("/settings/privacy/retention/")
    assert page.status_code == 200 and 'name="export_days"' in page.content.decode()
    form = {f: str(days) for f, days in retention.periods_of(acme.org).items() if f in retention.BOUNDS}
    form["shift_location_days"] = "30"
    response = client.post("/settings/privacy/retention/", form, follow=True)
    assert "Retention periods saved" in response.content.decode()
    assert PrivacySettings.objects.get(organisation=acme.org).shift_location_days == 30
    form["export_days"] = "90"
    response = client.post("/settings/privacy/retention/", form, follow=True)
    assert "Access export files: a whole number of days from 1 to 30" in response.content.decode()
    assert PrivacySettings.objects.get(organisation=acme.org).export_days == 7
    assert as_member(acme.alice).get("/settings/privacy/retention/").status_code in (403, 404)
