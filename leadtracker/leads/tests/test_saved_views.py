"""Saved views of the lead list: a person saves the list's filters, sort and columns under a
name and picks it again; a manager shares one with their team, who see it and cannot change
it; an agent cannot share; another organisation's view answers 404; the list reads the same
number of queries however many views there are."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from leadtracker.accounts.audit import Actor
from leadtracker.accounts.models import AuditEvent
from leadtracker.leads.actions.saved_views import save_view
from leadtracker.leads.models import LeadStatus, SavedView


def _interested(people):
    return LeadStatus.objects.get(organisation=people.org, name="Interested")


def test_a_person_saves_the_list_and_picks_it_again(acme, new_lead, as_member):
    interested = _interested(acme)
    new_lead(acme, name="Hot Harish", phone="98765 00001", by=acme.alice, status=interested)
    new_lead(acme, name="Cold Chetan", phone="98765 00002", by=acme.alice)
    client = as_member(acme.alice)
    response = client.post(
        "/leads/views/",
        {
            "name": "My hot leads",
            "query": f"status={interested.pk}&sort=name&cursor=abc",
            "columns": ["status", "source"],
        },
    )
    view = SavedView.objects.get(organisation=acme.org, owner=acme.alice.user, name="My hot leads")
    assert response.status_code == 302 and response["Location"].endswith(f"view={view.pk}")
    # The page's cursor is never part of a view.
    assert view.query == f"status={interested.pk}&sort=name" and view.columns == ["status", "source"]
    assert AuditEvent.objects.filter(action="saved_view.create", object_id=str(view.pk)).exists()
    page = client.get("/leads/").content.decode()
    assert ">My hot leads</a>" in page
    picked = client.get(f"/leads/?{view.query}&view={view.pk}").content.decode()
    assert "Hot Harish" in picked and "Cold Chetan" not in picked
    assert 'class="col-source">Source</th>' in picked and 'class="col-owner"' not in picked
    # By its id alone (a bookmark), a view opens with its filters.
    assert client.get(f"/leads/?view={view.pk}")["Location"] == f"/leads/?{view.query}&view={view.pk}"


def test_a_manager_shares_a_view_with_the_team_who_cannot_change_it(acme, new_lead, as_member):
    for n, member in enumerate((acme.alice, acme.bob, acme.carl)):
        new_lead(acme, name=f"Lead {n}", phone=f"98765 0000{n}", by=member)
    response = as_member(acme.maya).post(
        "/leads/views/", {"name": "Site visits this week", "query": "follow_up=today", "shared": "1"}
    )
    assert response.status_code == 302
    view = SavedView.objects.get(owner=acme.maya.user, name="Site visits this week")
    assert view.shared
    # Alice reports to Maya, Bob to Mani who reports to Maya: both see it. Mark (another
    # manager's team) and Carl do not.
    for member in (acme.alice, acme.bob):
        assert "Site visits this week" in as_member(member).get("/leads/").content.decode(), member
    assert "Site visits this week" not in as_member(acme.mark).get("/leads/").content.decode()
    alice = as_member(acme.alice)
    alice.post(f"/leads/views/{view.pk}/delete/")
    assert SavedView.objects.filter(pk=view.pk).exists()
    # Saving under its name makes Alice's own view; Maya's stays as she saved it.
    alice.post("/leads/views/", {"name": "Site visits this week", "query": "sort=name"})
    view.refresh_from_db()
    assert view.query == "follow_up=today"
    assert SavedView.objects.filter(
        owner=acme.alice.user, name="Site visits this week", shared=False
    ).exists()


def test_an_agent_cannot_share(acme, as_member):
    as_member(acme.alice).post("/leads/views/", {"name": "Mine", "query": "", "shared": "1"})
    assert not SavedView.objects.filter(owner=acme.alice.user).exists()
    with pytest.raises(Exception, match="only a manager"):
        save_view(acme.alice, "Mine", query="", columns=[], shared=True, actor=Actor.system())


def test_only_its_owner_deletes_a_view(acme, as_member):
    view = save_view(acme.maya, "Hot", query="", columns=[], shared=True, actor=Actor.system())
    as_member(acme.maya).post(f"/leads/views/{view.pk}/delete/")
    assert not SavedView.objects.filter(pk=view.pk).exists()
    assert AuditEvent.objects.filter(action="saved_view.delete", object_id=str(view.pk)).exists()


def test_another_organisations_view_answers_404(acme, globex, as_member):
    theirs = save_view(globex.maya, "Theirs", query="status=1", columns=[], shared=True, actor=Actor.system())
    client = as_member(acme.olga)
    assert client.post(f"/leads/views/{theirs.pk}/delete/").status_code == 404
    assert SavedView.objects.filter(pk=theirs.pk).exists()
    # Picked by id on our list: not offered, not applied.
    page = client.get(f"/leads/?view={theirs.pk}").content.decode()
    assert "Theirs" not in page


def test_columns_are_chosen_per_person(acme, new_lead, as_member):
    new_lead(acme, name="Raj", by=acme.alice, value=4500000)
    client = as_member(acme.alice)
    assert 'class="col-owner">Owner</th>' in client.get("/leads/").content.decode()
    client.post("/leads/columns/", {"columns": ["status", "value", "nonsense"]})
    page = client.get("/leads/").content.decode()
    assert 'class="col-value">Value</th>' in page and 'class="col-owner"' not in page
    assert "₹45 L" in page
    assert SavedView.objects.get(owner=acme.alice.user, name="").columns == ["status", "value"]
    # Maya's list keeps the default columns.
    assert 'class="col-owner">Owner</th>' in as_member(acme.maya).get("/leads/").content.decode()
    # At least one column.
    client.post("/leads/columns/", {"columns": []})
    assert SavedView.objects.get(owner=acme.alice.user, name="").columns == ["status", "value"]


def test_the_list_reads_as_many_queries_with_many_views(acme, new_lead, as_member):
    new_lead(acme, name="Raj", by=acme.alice)
    client = as_member(acme.alice)
    save_view(acme.maya, "Shared", query="", columns=["status"], shared=True, actor=Actor.system())
    client.get("/leads/")
    with CaptureQueriesContext(connection) as few:
        client.get("/leads/")
    for i in range(6):
        save_view(acme.alice, f"View {i}", query=f"sort=name&q={i}", columns=["status"], actor=Actor.system())
    with CaptureQueriesContext(connection) as many:
        client.get("/leads/")
    assert len(few.captured_queries) == len(many.captured_queries)
