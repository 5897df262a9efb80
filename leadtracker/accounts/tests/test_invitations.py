"""Invitations: sent by e-mail, accepted by setting a password, expiring after 7 days."""

import datetime as dt
import re

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from leadtracker.accounts.actions import invite_member
from leadtracker.accounts.audit import Actor
from leadtracker.accounts.models import AuditEvent, Invitation, Membership
from leadtracker.testing import PASSWORD


def invite(acme, email="neha@example.in", **kw):
    inv, raw = invite_member(acme.org, email=email, actor=Actor.for_user(acme.olga.user), **kw)
    return inv, raw


@pytest.mark.django_db(transaction=True)
def test_invitation_email_carries_a_working_link(acme):
    admin = Client()
    admin.force_login(acme.adam.user)
    response = admin.post(
        "/members/",
        {"email": "Neha@Example.in", "role": "agent", "reports_to": acme.maya.pk, "full_name": "नेहा गुप्ता"},
    )
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    link = re.search(r"http\S+/invite/(\S+)/", mail.outbox[0].body)
    assert link and mail.outbox[0].to == ["neha@example.in"]
    invitation = Invitation.objects.get()
    assert invitation.expires_at - invitation.created_at == dt.timedelta(days=7)
    assert link.group(1) not in invitation.token_hash  # only the hash is stored

    guest = Client()
    page = guest.get(f"/invite/{link.group(1)}/")
    assert page.status_code == 200 and "नेहा गुप्ता" in page.content.decode()
    joined = guest.post(f"/invite/{link.group(1)}/", {"full_name": "नेहा गुप्ता", "password": PASSWORD})
    assert joined.status_code == 302
    member = Membership.objects.get(user__email="neha@example.in")
    assert member.role == "agent" and member.reports_to == acme.maya and member.user.full_name == "नेहा गुप्ता"
    assert guest.get("/").context["membership"] == member
    # Used once only.
    assert guest.get(f"/invite/{link.group(1)}/").status_code == 410


def test_expired_invitation_is_refused(acme):
    inv, raw = invite(acme)
    Invitation.objects.filter(pk=inv.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    response = Client().post(f"/invite/{raw}/", {"full_name": "Neha", "password": PASSWORD})
    assert response.status_code == 410
    assert "expired" in response.content.decode()
    assert not Membership.objects.filter(user__email="neha@example.in").exists()


def test_invitation_still_valid_just_before_seven_days(acme):
    inv, raw = invite(acme)
    Invitation.objects.filter(pk=inv.pk).update(expires_at=timezone.now() + dt.timedelta(minutes=1))
    assert Client().post(f"/invite/{raw}/", {"full_name": "Neha", "password": PASSWORD}).status_code == 302


def test_weak_password_is_refused_with_reason(acme):
    _inv, raw = invite(acme)
    response = Client().post(f"/invite/{raw}/", {"full_name": "Neha", "password": "12345678"})
    assert response.status_code == 200
    assert "too short" in response.content.decode() or "too common" in response.content.decode()


def test_existing_user_joins_with_own_password(acme, globex):
    _inv, raw = invite(acme, email="carl@globex.test", role="manager")
    bad = Client().post(f"/invite/{raw}/", {"password": "not-my-password"})
    assert "not the password" in bad.content.decode()
    good = Client().post(f"/invite/{raw}/", {"password": PASSWORD})
    assert good.status_code == 302
    assert Membership.objects.filter(user__email="carl@globex.test").count() == 2


def test_revoked_invitation_is_refused(acme, api_as):
    inv, raw = invite(acme)
    assert api_as(acme.adam).delete(f"/api/v1/invitations/{inv.pk}").json()["state"] == "revoked"
    assert Client().get(f"/invite/{raw}/").status_code == 410
    assert AuditEvent.objects.filter(action="invitation.revoke", object_id=str(inv.pk)).exists()


def test_unknown_invitation_is_404(db):
    assert Client().get("/invite/not-a-token/").status_code == 404


def test_only_admins_invite_and_not_above_their_rank(acme, api_as):
    body = {"email": "x@example.in", "role": "agent"}
    assert (
        api_as(acme.maya).post("/api/v1/invitations", body, content_type="application/json").status_code
        == 403
    )
    owner_invite = api_as(acme.adam).post(
        "/api/v1/invitations", {"email": "x@example.in", "role": "owner"}, content_type="application/json"
    )
    assert owner_invite.status_code == 403
    assert owner_invite.json()["errors"][0]["field"] == "role"


def test_inviting_an_active_member_is_a_conflict(acme, api_as):
    response = api_as(acme.adam).post(
        "/api/v1/invitations", {"email": "alice@acme.test"}, content_type="application/json"
    )
    assert response.status_code == 409
    assert response.json()["errors"] == [{"field": "email", "message": "this person is already a member"}]


def test_a_new_invitation_replaces_the_old_one(acme):
    old, old_raw = invite(acme, role="admin")
    new, new_raw = invite(acme, role="agent")
    assert Invitation.objects.get(pk=old.pk).state == "revoked"
    assert Client().post(f"/invite/{old_raw}/", {"full_name": "N", "password": PASSWORD}).status_code == 410
    assert Client().post(f"/invite/{new_raw}/", {"full_name": "N", "password": PASSWORD}).status_code == 302
    assert Membership.objects.get(user__email="neha@example.in").role == "agent"


def test_old_link_cannot_bring_back_a_deactivated_member(acme):
    from leadtracker.accounts.actions import deactivate_member

    _first, first_raw = invite(acme, email="ravi@example.in", role="agent")
    Client().post(f"/invite/{first_raw}/", {"full_name": "Ravi", "password": PASSWORD})
    member = Membership.objects.get(user__email="ravi@example.in")
    deactivate_member(member, actor=Actor.system(), by=acme.olga)
    assert Client().post(f"/invite/{first_raw}/", {"password": PASSWORD}).status_code == 410
    assert not Membership.objects.get(pk=member.pk).is_active


def test_new_invitation_after_deactivation_brings_back_with_its_role_and_audit(acme):
    from leadtracker.accounts.actions import deactivate_member

    deactivate_member(acme.bob, actor=Actor.system(), by=acme.olga)
    _inv, raw = invite(acme, email="bob@acme.test", role="manager", reports_to=acme.mark)
    assert Client().post(f"/invite/{raw}/", {"password": PASSWORD}).status_code == 302
    bob = Membership.objects.get(pk=acme.bob.pk)
    assert bob.is_active and bob.role == "manager" and bob.reports_to == acme.mark
    event = AuditEvent.objects.filter(action="member.reactivate", object_id=str(bob.pk)).get()
    assert event.changes["role"] == ["agent", "manager"] and event.changes["via"] == "invitation"


def test_deactivation_revokes_pending_invitations(acme):
    from leadtracker.accounts.actions import deactivate_member, reactivate_member

    deactivate_member(acme.bob, actor=Actor.system(), by=acme.olga)
    for_bob, _ = invite(acme, email="bob@acme.test")
    for_someone_else, _ = invite(acme, email="ravi@example.in")
    # Bob is let back in directly while his invitation is still pending, then leaves again.
    reactivate_member(Membership.objects.get(pk=acme.bob.pk), actor=Actor.system(), by=acme.olga)
    deactivate_member(Membership.objects.get(pk=acme.bob.pk), actor=Actor.system(), by=acme.olga)
    assert Invitation.objects.get(pk=for_bob.pk).state == "revoked"
    assert Invitation.objects.get(pk=for_someone_else.pk).state == "pending"


def test_invitation_naming_a_departed_manager_joins_without_one(acme):
    from leadtracker.accounts.actions import deactivate_member

    _inv, raw = invite(acme, reports_to=acme.mark)
    Membership.objects.filter(pk=acme.carl.pk).update(reports_to=acme.olga)  # mark's report moves first
    deactivate_member(acme.mark, actor=Actor.system(), by=acme.olga)
    Client().post(f"/invite/{raw}/", {"full_name": "Neha", "password": PASSWORD})
    assert Membership.objects.get(user__email="neha@example.in").reports_to is None


def test_active_member_cannot_accept_again(acme):
    from leadtracker.accounts.actions import accept_invitation
    from leadtracker.lib.errors import ActionError

    inv, _raw = invite(acme)
    accept_invitation(inv, password=PASSWORD, full_name="Neha")
    Invitation.objects.filter(pk=inv.pk).update(accepted_at=None)  # as if a second link existed
    with pytest.raises(ActionError, match="already a member"):
        accept_invitation(Invitation.objects.get(pk=inv.pk), password=PASSWORD)


def test_wrong_password_on_invitation_is_throttled_like_login(acme, globex, settings):
    settings.LOGIN_THROTTLE_PER_ACCOUNT = 2
    _inv, raw = invite(acme, email="carl@globex.test")
    for _ in range(2):
        assert Client().post(f"/invite/{raw}/", {"password": "wrong-wrong-wrong"}).status_code == 200
    assert Client().post(f"/invite/{raw}/", {"password": PASSWORD}).status_code == 429
