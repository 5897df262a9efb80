"""The organisation's digest hour on the settings page: owners and admins pick an hour or no
digest, audited like the other settings; an hour out of bounds is refused naming the field."""

import pytest
from django import forms

from leadtracker.accounts.actions import update_organisation
from leadtracker.accounts.audit import Actor
from leadtracker.accounts.models import AuditEvent, Organisation
from leadtracker.lib.errors import ActionError


def settings_form(client, **changes) -> dict:
    """What a browser posts from the settings page as shown (hidden initial values included,
    unticked boxes left out), with ``changes``."""
    form = client.get("/settings/organisation/").context["form"]
    data = {}
    for field in form:
        value = field.value()
        if isinstance(field.field, forms.BooleanField):
            if value:
                data[field.html_name] = "on"
            continue
        data[field.html_name] = "" if value is None else str(value)
        if field.field.show_hidden_initial:
            data[field.html_initial_name] = data[field.html_name]
    return data | changes


def hour_of(people):
    return Organisation.objects.get(pk=people.org.pk).digest_hour


@pytest.mark.parametrize("who", ["olga", "adam"])
def test_owners_and_admins_set_the_hour_with_the_time_zone(acme, as_member, who):
    client = as_member(getattr(acme, who))
    page = client.get("/settings/organisation/").content.decode()
    assert '<option value="8" selected>08:00</option>' in page
    assert '<option value="">No digest e-mail</option>' in page
    form = settings_form(client, digest_hour="18", time_zone="Europe/London")
    assert client.post("/settings/organisation/", form).status_code == 302
    org = Organisation.objects.get(pk=acme.org.pk)
    assert (org.digest_hour, org.time_zone) == (18, "Europe/London")
    event = AuditEvent.objects.get(action="organisation.update")
    assert sorted(event.changes["fields"]) == ["digest_hour", "time_zone"]
    assert event.actor_user_id == getattr(acme, who).user_id


def test_no_digest_is_an_empty_hour(acme, as_member):
    client = as_member(acme.adam)
    assert client.post("/settings/organisation/", settings_form(client, digest_hour="")).status_code == 302
    assert hour_of(acme) is None
    assert AuditEvent.objects.get(action="organisation.update").changes == {"fields": ["digest_hour"]}
    page = client.get("/settings/organisation/").content.decode()
    assert '<option value="" selected>No digest e-mail</option>' in page


def test_an_hour_out_of_bounds_names_the_field(acme, as_member):
    client = as_member(acme.olga)
    # The page's form read once: a refused post changes nothing, so the form it shows is the same
    # (each reading renders the page, with every time zone, region and currency: 130-160 ms of CPU).
    shown = settings_form(client)
    for bad in ("24", "-1", "7.5", "seven"):
        response = client.post("/settings/organisation/", shown | {"digest_hour": bad})
        assert response.status_code == 200, bad
        assert list(response.context["form"].errors) == ["digest_hour"], bad
    assert hour_of(acme) == 8
    for bad in (24, -1, "7", True, 7.0):
        with pytest.raises(ActionError) as caught:
            update_organisation(acme.org, actor=Actor.system(), digest_hour=bad)
        assert caught.value.field == "digest_hour", bad
        assert "0 to 23" in caught.value.message
    assert not AuditEvent.objects.filter(action="organisation.update").exists()
    assert hour_of(acme) == 8


def test_managers_cannot_change_it(acme, as_member):
    form = settings_form(as_member(acme.olga), digest_hour="3")
    response = as_member(acme.maya).post("/settings/organisation/", form)
    assert response.status_code == 403
    assert hour_of(acme) == 8


def test_the_api_reads_and_sets_the_hour_naming_the_field_when_out_of_bounds(acme, api_as):
    client = api_as(acme.olga)
    assert client.get("/api/v1/organisation").json()["digest_hour"] == 8
    response = client.patch("/api/v1/organisation", {"digest_hour": 19}, content_type="application/json")
    assert response.status_code == 200, response.content
    assert response.json()["digest_hour"] == 19 == hour_of(acme)
    for bad in (24, -1, "seven"):
        response = client.patch("/api/v1/organisation", {"digest_hour": bad}, content_type="application/json")
        assert response.status_code == 422
        assert [e["field"] for e in response.json()["errors"]] == ["digest_hour"]
    assert hour_of(acme) == 19
    response = client.patch("/api/v1/organisation", {"digest_hour": None}, content_type="application/json")
    assert response.json()["digest_hour"] is None is hour_of(acme)
    assert AuditEvent.objects.filter(organisation=acme.org, action="organisation.update").count() == 2
