"""A deactivated member is locked out at once: sessions and tokens both."""

import pytest

from leadtracker.accounts.actions import deactivate_member, reactivate_member
from leadtracker.accounts.audit import Actor
from leadtracker.accounts.models import ApiToken, AuditEvent, Membership
from leadtracker.lib.errors import ActionError


def test_session_and_token_stop_working_at_once(acme, as_member, api_as):
    web = as_member(acme.alice)
    api = api_as(acme.alice)
    assert web.get("/").status_code == 200
    assert api.get("/api/v1/me").status_code == 200

    deactivate_member(acme.alice, actor=Actor.for_user(acme.olga.user), by=acme.olga)

    assert web.get("/").status_code == 403  # same session, next request
    assert web.get("/api/v1/me").status_code == 401
    assert api.get("/api/v1/me").status_code == 401
    assert ApiToken.objects.get(user=acme.alice.user).revoked_at is not None


def test_deactivation_through_the_members_page(acme, as_member):
    admin = as_member(acme.adam)
    victim = as_member(acme.bob)
    response = admin.post(f"/members/{acme.bob.pk}/", {"deactivate": "1", "confirm": "yes"})
    assert response.status_code == 302
    assert not Membership.objects.get(pk=acme.bob.pk).is_active
    assert victim.get("/").status_code == 403


def test_reports_move_up_and_reactivation(acme):
    deactivate_member(acme.mani, actor=Actor.system(), by=acme.olga)
    acme.bob.refresh_from_db()
    assert acme.bob.reports_to_id == acme.maya.pk  # bob is not orphaned
    reactivate_member(acme.mani, actor=Actor.system())
    assert Membership.objects.get(pk=acme.mani.pk).is_active


def test_other_organisation_membership_still_works(acme, globex, as_member):
    from leadtracker.accounts.models import Role

    # Alice of acme also joins globex; deactivation in acme leaves globex alone.
    Membership.objects.create(organisation=globex.org, user=acme.alice.user, role=Role.AGENT)
    web = as_member(acme.alice)
    deactivate_member(acme.alice, actor=Actor.system(), by=acme.olga)
    response = web.get("/")
    assert response.status_code == 200
    assert response.context["org"] == globex.org


def test_non_admins_cannot_deactivate_and_nobody_deactivates_themselves(acme, as_member, api_as):
    assert api_as(acme.maya).post(f"/api/v1/members/{acme.alice.pk}/deactivate").status_code == 403
    assert api_as(acme.alice).post(f"/api/v1/members/{acme.alice.pk}/deactivate").status_code == 403
    response = api_as(acme.adam).post(f"/api/v1/members/{acme.olga.pk}/deactivate")
    assert response.status_code == 403  # an admin cannot deactivate an owner
    response = as_member(acme.adam).post(f"/members/{acme.adam.pk}/", {"deactivate": "1", "confirm": "yes"})
    assert response.status_code == 200
    assert Membership.objects.get(pk=acme.adam.pk).is_active  # nobody deactivates themselves


def test_the_last_owner_stays(acme, api_as):
    # Olga is the only owner; a second owner may deactivate her, but not the last one.
    from leadtracker.accounts.actions import change_role

    change_role(acme.adam, "owner", actor=Actor.system(), by=acme.olga)
    assert api_as(acme.adam).post(f"/api/v1/members/{acme.olga.pk}/deactivate").status_code == 200
    response = api_as(acme.adam).post(f"/api/v1/members/{acme.adam.pk}/deactivate")
    assert response.status_code == 400  # yourself
    with pytest.raises(ActionError, match="at least one active owner"):
        deactivate_member(Membership.objects.get(pk=acme.adam.pk), actor=Actor.system())


def test_only_an_owner_reactivates_an_owner(acme, api_as):
    from leadtracker.accounts.actions import change_role

    change_role(acme.adam, "owner", actor=Actor.system(), by=acme.olga)
    deactivate_member(Membership.objects.get(pk=acme.adam.pk), actor=Actor.system(), by=acme.olga)
    Membership.objects.filter(pk=acme.maya.pk).update(role="admin")
    assert (
        api_as(Membership.objects.get(pk=acme.maya.pk))
        .post(f"/api/v1/members/{acme.adam.pk}/reactivate")
        .status_code
        == 403
    )
    assert api_as(acme.olga).post(f"/api/v1/members/{acme.adam.pk}/reactivate").status_code == 200


def test_reports_moving_up_are_audited(acme):
    deactivate_member(acme.maya, actor=Actor.system(), by=acme.olga)
    moved = AuditEvent.objects.filter(action="member.change_manager").values_list("object_id", flat=True)
    assert set(moved) == {str(acme.alice.pk), str(acme.mani.pk)}
