"""Roles and managers: who may change what, no reporting loops, always an owner."""

import pytest

from leadtracker.accounts import actions
from leadtracker.accounts.audit import Actor
from leadtracker.accounts.models import Membership
from leadtracker.lib.errors import ActionError


def patch(client, member, body):
    return client.patch(f"/api/v1/members/{member.pk}", body, content_type="application/json")


def test_admin_changes_role_and_manager(acme, api_as):
    response = patch(api_as(acme.adam), acme.carl, {"role": "manager", "reports_to": acme.maya.pk})
    assert response.status_code == 200
    assert response.json()["role"] == "manager" and response.json()["reports_to"] == acme.maya.pk


def test_manager_and_agent_cannot_change_roles(acme, api_as):
    assert patch(api_as(acme.maya), acme.alice, {"role": "manager"}).status_code == 403
    assert patch(api_as(acme.alice), acme.alice, {"role": "owner"}).status_code == 403
    assert Membership.objects.get(pk=acme.alice.pk).role == "agent"


def test_reporting_loop_is_refused(acme, api_as):
    response = patch(api_as(acme.olga), acme.maya, {"reports_to": acme.mani.pk})
    assert response.status_code == 400
    assert response.json()["errors"] == [
        {"field": "reports_to", "message": "this would make a reporting loop"}
    ]


def test_agent_cannot_be_a_manager(acme, api_as):
    response = patch(api_as(acme.olga), acme.bob, {"reports_to": acme.alice.pk})
    assert response.status_code == 400 and response.json()["errors"][0]["field"] == "reports_to"


def test_manager_from_another_organisation_is_refused(acme, globex, api_as):
    response = patch(api_as(acme.olga), acme.bob, {"reports_to": globex.maya.pk})
    assert response.status_code == 404  # another organisation's id, even in a body
    assert Membership.objects.get(pk=acme.bob.pk).reports_to_id == acme.mani.pk


def test_only_owner_makes_owners_and_last_owner_stays(acme, api_as):
    assert patch(api_as(acme.adam), acme.maya, {"role": "owner"}).status_code == 403
    assert patch(api_as(acme.olga), acme.olga, {"role": "admin"}).status_code == 409
    assert patch(api_as(acme.olga), acme.adam, {"role": "owner"}).status_code == 200
    assert patch(api_as(acme.olga), acme.olga, {"role": "admin"}).status_code == 200


def test_manager_with_reports_cannot_become_agent(acme):
    with pytest.raises(ActionError, match="people report to this member"):
        actions.change_role(acme.mani, "agent", actor=Actor.system(), by=acme.olga)


def test_members_page_edit_as_admin_and_view_as_manager(acme, as_member):
    admin = as_member(acme.adam)
    response = admin.post(f"/members/{acme.alice.pk}/", {"role": "agent", "reports_to": acme.mark.pk})
    assert response.status_code == 302
    assert Membership.objects.get(pk=acme.alice.pk).reports_to_id == acme.mark.pk
    manager = as_member(acme.mark)
    assert manager.get(f"/members/{acme.alice.pk}/").status_code == 200
    assert manager.post(f"/members/{acme.alice.pk}/", {"role": "manager"}).status_code == 403


def test_role_and_manager_change_together_or_not_at_all(acme, api_as, as_member):
    response = patch(api_as(acme.adam), acme.carl, {"reports_to": acme.maya.pk, "role": "owner"})
    assert response.status_code == 403
    assert Membership.objects.get(pk=acme.carl.pk).reports_to_id == acme.mark.pk  # unchanged
    admin = as_member(acme.adam)
    admin.post(f"/members/{acme.bob.pk}/", {"role": "owner", "reports_to": acme.mark.pk})
    bob = Membership.objects.get(pk=acme.bob.pk)
    assert (bob.role, bob.reports_to_id) == ("agent", acme.mani.pk)


def test_invitation_with_another_organisations_manager_is_404(acme, globex, api_as):
    response = api_as(acme.adam).post(
        "/api/v1/invitations",
        {"email": "x@example.in", "reports_to": globex.maya.pk},
        content_type="application/json",
    )
    assert response.status_code == 404
