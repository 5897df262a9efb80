"""Organisations: settings, sign-up, and switching between the ones a person belongs to."""

import datetime as dt
import re

import pytest
from django.core import mail
from django.test import Client, override_settings

from leadtracker.accounts.models import AuditEvent, Membership, Organisation, Role
from leadtracker.testing import PASSWORD


def test_admin_edits_settings_and_change_is_audited(acme, as_member):
    client = as_member(acme.adam)
    form = {
        "name": "Acme India",
        "time_zone": "Asia/Kolkata",
        "phone_region": "IN",
        "currency": "INR",
        "language": "en-in",  # the select as the page shows it: unchanged
        "day_end": "19:30",
        "support_email": "help@acme.in",
        "support_phone": "+91 80 4000 0000",
        "audit_retention_days": 365,
        "usage_events": "on",  # the checkbox as the page shows it: on by default
        "digest_hour": "8",  # the select as the page shows it: unchanged
    }
    assert client.post("/settings/organisation/", form).status_code == 302
    org = Organisation.objects.get(pk=acme.org.pk)
    assert org.name == "Acme India" and org.day_end == dt.time(19, 30)
    event = AuditEvent.objects.get(action="organisation.update")
    assert set(event.changes["fields"]) == {
        "name",
        "day_end",
        "support_email",
        "support_phone",
        "audit_retention_days",
    }


def test_settings_need_admin(acme, as_member, api_as):
    assert as_member(acme.maya).get("/settings/organisation/").status_code == 403
    assert (
        api_as(acme.maya)
        .patch("/api/v1/organisation", {"name": "x"}, content_type="application/json")
        .status_code
        == 403
    )


def test_bad_region_is_refused_with_field(acme, api_as):
    response = api_as(acme.olga).patch(
        "/api/v1/organisation", {"phone_region": "XX"}, content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "phone_region"


def test_sign_up_creates_an_organisation_and_owner(db):
    client = Client()
    response = client.post(
        "/signup/",
        {
            "org_name": "Kaveri Homes",
            "slug": "kaveri",
            "full_name": "Kavya Rao",
            "email": "kavya@kaveri.in",
            "password": PASSWORD,
        },
    )
    assert response.status_code == 302
    member = Membership.objects.get(user__email="kavya@kaveri.in")
    assert member.role == Role.OWNER and member.organisation.slug == "kaveri"
    assert client.get("/").context["org"] == member.organisation


def test_sign_up_reports_taken_slug_on_the_field(acme):
    response = Client().post(
        "/signup/",
        {
            "org_name": "Acme 2",
            "slug": "acme",
            "full_name": "X Y",
            "email": "xy@example.in",
            "password": PASSWORD,
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["slug"] == [
        "Another organisation already uses “acme”: choose another short name."
    ]


@override_settings(SIGNUP_ENABLED=False)
def test_sign_up_can_be_switched_off(db):
    assert Client().get("/signup/").status_code == 404
    assert "Start an organisation" not in Client().get("/login/").content.decode()


def test_switch_between_organisations(acme, globex, as_member):
    Membership.objects.create(organisation=globex.org, user=acme.alice.user, role=Role.MANAGER)
    client = as_member(acme.alice)
    page = client.get("/")
    assert page.context["org"] == acme.org and "Globex" in page.content.decode()
    assert client.post("/switch/", {"organisation": globex.org.pk}).status_code == 302
    assert client.get("/").context["membership"].role == Role.MANAGER
    # The API follows the session's organisation too.
    assert client.get("/api/v1/organisation").json()["slug"] == "globex"


def test_cannot_switch_into_an_organisation_one_is_not_in(acme, globex, as_member):
    client = as_member(acme.alice)
    assert client.post("/switch/", {"organisation": globex.org.pk}).status_code == 404
    assert client.get("/").context["org"] == acme.org


def test_password_reset_round_trip(acme):
    client = Client()
    assert client.post("/password-reset/", {"email": "alice@acme.test"}).status_code == 302
    assert len(mail.outbox) == 1
    path = re.search(r"https?://[^/\s]+(/password-reset/\S+)", mail.outbox[0].body).group(1)
    form_page = client.get(path, follow=True)
    assert form_page.status_code == 200 and form_page.context["validlink"]
    new = "a-brand-new-password-7"
    done = client.post(form_page.redirect_chain[-1][0], {"new_password1": new, "new_password2": new})
    assert done.status_code == 302
    assert Client().post("/login/", {"email": "alice@acme.test", "password": new}).status_code == 302
    assert AuditEvent.objects.filter(action="user.password_reset", organisation=acme.org).exists()


def test_password_reset_for_unknown_address_says_the_same(db):
    response = Client().post("/password-reset/", {"email": "nobody@example.in"})
    assert response.status_code == 302 and len(mail.outbox) == 0


def test_audit_retention_cannot_be_set_below_a_month(acme, as_member, api_as):
    client = as_member(acme.adam)
    form = {
        "name": "Acme",
        "time_zone": "Asia/Kolkata",
        "phone_region": "IN",
        "currency": "INR",
        "language": "en-in",  # the select as the page shows it: unchanged
        "day_end": "21:00",
        "support_email": "",
        "support_phone": "",
        "audit_retention_days": 0,
    }
    response = client.post("/settings/organisation/", form)
    assert response.status_code == 200 and "audit_retention_days" in response.context["form"].errors
    response = api_as(acme.olga).patch(
        "/api/v1/organisation", {"audit_retention_days": 29}, content_type="application/json"
    )
    assert response.status_code in (400, 422)
    assert Organisation.objects.get(pk=acme.org.pk).audit_retention_days == 730


@pytest.mark.parametrize(
    "field", ["day_end", "support_email", "support_phone", "audit_retention_days", "name"]
)
def test_null_values_are_refused_with_the_field(acme, api_as, field):
    response = api_as(acme.olga).patch("/api/v1/organisation", {field: None}, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == field


def test_pages_show_times_in_the_organisations_zone(acme, as_member):
    Organisation.objects.filter(pk=acme.org.pk).update(time_zone="America/New_York")
    client = as_member(acme.olga)
    event = AuditEvent.objects.filter(organisation=acme.org).first()
    page = client.get(f"/audit/{event.pk}/").content.decode()
    assert event.at.astimezone(__import__("zoneinfo").ZoneInfo("America/New_York")).strftime("%H:%M") in page
    assert "EST" in page or "EDT" in page


def test_owner_created_without_password_sets_one_by_link(db):
    import io

    from django.core.management import call_command

    out = io.StringIO()
    call_command("create_org", name="Nova", slug="nova", owner_email="owner@nova.in", stdout=out)
    link = out.getvalue().strip().split()[-1]
    path = link[link.index("/password-reset/") :]
    client = Client()
    page = client.get(path, follow=True)
    assert page.context["validlink"]
    new = "first-password-for-nova"
    assert (
        client.post(page.redirect_chain[-1][0], {"new_password1": new, "new_password2": new}).status_code
        == 302
    )
    assert Client().post("/login/", {"email": "owner@nova.in", "password": new}).status_code == 302


def test_password_reset_mails_are_limited(acme, settings):
    settings.PASSWORD_RESET_PER_ACCOUNT = 2
    answers = [Client().post("/password-reset/", {"email": "alice@acme.test"}).status_code for _ in range(4)]
    assert answers == [302, 302, 429, 429]
    assert len(mail.outbox) == 2
