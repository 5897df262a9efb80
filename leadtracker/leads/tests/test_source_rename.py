"""A source can be renamed (review finding 20): an early import's "fb" or "website " stayed for
good in the list's filter, the sources chart and reports. Owners and admins rename it, as they
add one; another source's name (in any case) and an empty name are refused naming the field;
another organisation's source is not found."""

import pytest

from leadtracker.accounts.audit import Actor
from leadtracker.accounts.models import AuditEvent
from leadtracker.leads.actions.settings import create_source
from leadtracker.leads.models import Lead, LeadSource

JSON = "application/json"


@pytest.fixture
def fb(acme):
    return create_source(acme.org, "fb", actor=Actor.system())


def test_settings_page_renames_a_source_and_its_leads_follow(acme, as_member, new_lead, fb):
    lead = new_lead(acme, name="Raj", by=acme.alice, source=fb)
    client = as_member(acme.adam)
    page = client.get("/leads/settings/").content.decode()
    assert f'id="source-{fb.pk}"' in page and 'value="fb"' in page  # its inline form
    response = client.post(f"/leads/settings/sources/{fb.pk}/", {"name": " Facebook "}, follow=True)
    assert "Saved." in response.content.decode()
    assert LeadSource.objects.get(pk=fb.pk).name == "Facebook"
    assert Lead.objects.get(pk=lead.pk).source.name == "Facebook"
    event = AuditEvent.objects.get(action="source.rename")
    assert event.object_id == str(fb.pk) and event.actor_user_id == acme.adam.user_id
    assert "Facebook" not in str(event.changes)


def test_another_sources_name_in_any_case_is_refused_naming_the_field(acme, as_member, fb):
    create_source(acme.org, "Facebook", actor=Actor.system())
    client = as_member(acme.olga)
    response = client.post(f"/leads/settings/sources/{fb.pk}/", {"name": "FACEBOOK"}, follow=True)
    text = response.content.decode()
    assert "Name" in text and "a source with this name exists" in text
    assert LeadSource.objects.get(pk=fb.pk).name == "fb"
    assert not AuditEvent.objects.filter(action="source.rename").exists()


def test_an_empty_name_is_refused_and_changing_only_the_case_is_not(acme, as_member, fb):
    client = as_member(acme.olga)
    response = client.post(f"/leads/settings/sources/{fb.pk}/", {"name": "   "}, follow=True)
    assert "give the source a name" in response.content.decode()
    assert LeadSource.objects.get(pk=fb.pk).name == "fb"
    client.post(f"/leads/settings/sources/{fb.pk}/", {"name": "FB"})
    assert LeadSource.objects.get(pk=fb.pk).name == "FB"


def test_managers_and_agents_cannot_rename_and_another_orgs_source_is_not_found(acme, globex, as_member, fb):
    for member in (acme.maya, acme.alice):
        response = as_member(member).post(f"/leads/settings/sources/{fb.pk}/", {"name": "x"})
        assert response.status_code in (302, 403)
    theirs = create_source(globex.org, "ig", actor=Actor.system())
    response = as_member(acme.olga).post(f"/leads/settings/sources/{theirs.pk}/", {"name": "Instagram"})
    assert response.status_code == 404
    assert LeadSource.objects.get(pk=fb.pk).name == "fb"
    assert LeadSource.objects.get(pk=theirs.pk).name == "ig"


def test_api_renames_a_source_for_admins_only(acme, globex, api_as, fb):
    admin = api_as(acme.adam)
    renamed = admin.patch(f"/api/v1/sources/{fb.pk}", {"name": "Facebook"}, content_type=JSON)
    assert renamed.status_code == 200 and renamed.json()["name"] == "Facebook"
    create_source(acme.org, "Website", actor=Actor.system())
    clash = admin.patch(f"/api/v1/sources/{fb.pk}", {"name": "website"}, content_type=JSON)
    assert clash.status_code == 409 and clash.json()["errors"][0]["field"] == "name"
    assert (
        api_as(acme.maya).patch(f"/api/v1/sources/{fb.pk}", {"name": "x"}, content_type=JSON).status_code
        == 403
    )
    theirs = create_source(globex.org, "ig", actor=Actor.system())
    assert admin.patch(f"/api/v1/sources/{theirs.pk}", {"name": "x"}, content_type=JSON).status_code == 404
    assert LeadSource.objects.get(pk=fb.pk).name == "Facebook"
