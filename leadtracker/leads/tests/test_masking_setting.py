"""The last-four-digits mode is switched on the organisation settings page and API, by owners
and admins only, and every switch is audited."""

import pytest

from leadtracker.accounts.models import AuditEvent, Organisation


def _form(org, **changes):
    data = {
        "name": org.name,
        "time_zone": org.time_zone,
        "phone_region": org.phone_region,
        "currency": org.currency,
        "day_end": org.day_end.strftime("%H:%M"),
        "support_email": org.support_email,
        "support_phone": org.support_phone,
        "audit_retention_days": org.audit_retention_days,
        "language": org.language,
    }
    for flag in ("shift_location", "calls_create_leads", "usage_events"):
        if getattr(org, flag):
            data[flag] = "on"
    data.update(changes)
    return data


def test_admin_switches_it_on_the_page_and_it_is_audited(acme, as_member):
    admin = as_member(acme.adam)
    assert "mask_other_numbers" in admin.get("/settings/organisation/").content.decode()
    response = admin.post("/settings/organisation/", _form(acme.org, mask_other_numbers="on"))
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Organisation.objects.get(pk=acme.org.pk).mask_other_numbers is True
    event = AuditEvent.objects.get(organisation=acme.org, action="organisation.update")
    assert event.changes == {"fields": ["mask_other_numbers"]} and event.actor_user == acme.adam.user


def test_owner_switches_it_through_the_api(acme, api_as):
    client = api_as(acme.olga)
    assert client.get("/api/v1/organisation").json()["mask_other_numbers"] is False
    response = client.patch(
        "/api/v1/organisation", {"mask_other_numbers": True}, content_type="application/json"
    )
    assert response.status_code == 200 and response.json()["mask_other_numbers"] is True
    assert AuditEvent.objects.filter(
        organisation=acme.org, action="organisation.update", changes__fields=["mask_other_numbers"]
    ).exists()
    response = client.patch(
        "/api/v1/organisation", {"mask_other_numbers": None}, content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "mask_other_numbers"


@pytest.mark.parametrize("who", ["maya", "alice"])
def test_managers_and_agents_cannot_switch_it(acme, as_member, api_as, who):
    member = getattr(acme, who)
    response = as_member(member).post("/settings/organisation/", _form(acme.org, mask_other_numbers="on"))
    assert response.status_code == 403
    response = api_as(member).patch(
        "/api/v1/organisation", {"mask_other_numbers": True}, content_type="application/json"
    )
    assert response.status_code == 403
    assert Organisation.objects.get(pk=acme.org.pk).mask_other_numbers is False
