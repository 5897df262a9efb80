"""The audit log: written by every member change, free of raw personal data, append-only."""

import datetime as dt
import json

import pytest
from django.utils import timezone

from leadtracker.accounts import actions
from leadtracker.accounts.audit import Actor
from leadtracker.accounts.models import AuditEvent


def events(org, action):
    return list(AuditEvent.objects.filter(organisation=org, action=action))


def test_member_changes_are_audited_with_actor_and_change(acme, api_as):
    client = api_as(acme.olga)
    client.patch(
        f"/api/v1/members/{acme.carl.pk}",
        {"role": "manager"},
        content_type="application/json",
        REMOTE_ADDR="203.0.113.9",
        HTTP_USER_AGENT="pytest-agent",
    )
    client.patch(
        f"/api/v1/members/{acme.carl.pk}", {"reports_to": acme.maya.pk}, content_type="application/json"
    )
    client.post(f"/api/v1/members/{acme.carl.pk}/deactivate")
    client.post(f"/api/v1/members/{acme.carl.pk}/reactivate")
    client.post("/api/v1/invitations", {"email": "new@example.in"}, content_type="application/json")

    (role,) = events(acme.org, "member.change_role")
    assert role.changes == {"role": ["agent", "manager"]}
    assert role.actor_user == acme.olga.user and role.actor_kind == "user"
    assert role.actor_token is not None  # done with a token: which one is recorded
    assert (role.object_type, role.object_id) == ("membership", str(acme.carl.pk))
    assert role.ip_address == "203.0.113.9" and role.user_agent == "pytest-agent"
    (manager,) = events(acme.org, "member.change_manager")
    assert manager.changes == {"reports_to": [acme.mark.pk, acme.maya.pk]}
    assert len(events(acme.org, "member.deactivate")) == 1
    assert len(events(acme.org, "member.reactivate")) == 1
    assert len(events(acme.org, "invitation.create")) == 1


def test_audit_changes_hold_no_personal_data(acme, as_member):
    admin = as_member(acme.adam)
    assert (
        admin.post(
            "/members/", {"email": "priya.nair@example.in", "full_name": "Priya Nair", "role": "agent"}
        ).status_code
        == 302
    )
    assert (
        admin.post(f"/members/{acme.bob.pk}/", {"role": "manager", "reports_to": acme.maya.pk}).status_code
        == 302
    )
    assert (
        AuditEvent.objects.filter(
            action__in=["invitation.create", "member.change_role", "member.change_manager"]
        ).count()
        == 3
    )
    dump = json.dumps(list(AuditEvent.objects.values("action", "object_type", "object_id", "changes")))
    for personal in ("priya", "Priya", "Nair", "bob@acme.test", "Bob Acme"):
        assert personal not in dump


def test_audit_events_cannot_be_changed_or_deleted(acme):
    event = AuditEvent.objects.filter(organisation=acme.org).first()
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()
    with pytest.raises(PermissionError):
        AuditEvent.objects.filter(pk=event.pk).update(action="x")
    with pytest.raises(PermissionError):
        AuditEvent.objects.all().delete()


def test_retention_purge_is_the_only_deleter(acme, globex):
    old = AuditEvent.objects.create(
        organisation=acme.org,
        actor_kind="system",
        action="old.thing",
        at=timezone.now() - dt.timedelta(days=acme.org.audit_retention_days + 1),
    )
    recent = AuditEvent.objects.create(
        organisation=acme.org,
        actor_kind="system",
        action="recent.thing",
        at=timezone.now() - dt.timedelta(days=acme.org.audit_retention_days - 1),
    )
    assert actions.purge_expired_audit_events() == 1
    assert not AuditEvent.objects.filter(pk=old.pk).exists()
    assert AuditEvent.objects.filter(pk=recent.pk).exists()


def test_audit_page_filters_and_pages(acme, as_member):
    for i in range(60):
        actions.create_api_token(acme.alice, name=f"t{i}", actor=Actor.for_user(acme.alice.user))
    admin = as_member(acme.adam)
    first = admin.get("/audit/?action=token.")
    assert first.status_code == 200
    assert len(first.context["events"]) == 50 and first.context["next_cursor"]
    more = admin.get(f"/audit/?action=token.&cursor={first.context['next_cursor']}", HTTP_HX_REQUEST="true")
    assert len(more.context["events"]) == 10 and more.context["next_cursor"] is None
    assert "<html" not in more.content.decode()  # htmx gets rows only
    assert as_member(acme.maya).get("/audit/").status_code == 403


def test_audit_api_is_admin_only_and_filtered(acme, api_as):
    assert api_as(acme.maya).get("/api/v1/audit-events").status_code == 403
    body = api_as(acme.adam).get("/api/v1/audit-events?action=member.add").json()
    assert {e["action"] for e in body["items"]} == {"member.add"}


def test_audit_events_are_kept_at_least_a_year_whatever_was_chosen(acme, as_member):
    import datetime as dt

    from django.utils import timezone

    from leadtracker.accounts.actions import purge_expired_audit_events
    from leadtracker.accounts.models import AuditEvent, Organisation

    Organisation.objects.filter(pk=acme.org.pk).update(audit_retention_days=30)  # chosen before the floor
    kept = AuditEvent.objects.create(
        organisation=acme.org, action="test.kept", at=timezone.now() - dt.timedelta(days=300)
    )
    purge_expired_audit_events()
    assert AuditEvent.objects.filter(pk=kept.pk).exists()
    response = as_member(acme.olga).patch(
        "/api/v1/organisation", {"audit_retention_days": 90}, content_type="application/json"
    )
    assert response.status_code == 422 and "audit_retention_days" in response.json()["detail"]
