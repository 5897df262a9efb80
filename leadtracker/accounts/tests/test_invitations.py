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
