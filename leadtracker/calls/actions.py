"""Pairing phones, their reported state, and revoking them."""

import datetime as dt
import secrets

from django.db import transaction
from django.utils import timezone

from leadtracker.accounts.actions import create_api_token, revoke_api_token
from leadtracker.accounts.audit import Actor, record
from leadtracker.accounts.models import Membership, Role, TokenKind, hash_secret
from leadtracker.calls.models import Device, PairingCode, Permission
from leadtracker.lib.errors import ActionError

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud or typed on a phone
CODE_LIFETIME = dt.timedelta(minutes=15)


def normalise_code(code: str) -> str:
    return "".join(ch for ch in (code or "").upper() if ch in CODE_ALPHABET)


@transaction.atomic
def create_pairing_code(
    member: Membership, *, actor: Actor, by: Membership | None
) -> tuple[PairingCode, str]:
    """A code for ``member``'s phone. People make their own; managers make them for their team
    (the view loads ``member`` through visibility)."""
    if by is not None and by.pk != member.pk and not by.has_role(Role.MANAGER):
        raise ActionError("you can make a pairing code only for yourself", field="member", status_code=403)
    if not member.is_active:
        raise ActionError("the member is deactivated", field="member")
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(8))
    now = timezone.now()
    code = PairingCode.objects.create(
        organisation_id=member.organisation_id,
        user_id=member.user_id,
        code_hash=hash_secret(raw),
        created_by=actor.user,
        created_at=now,
        expires_at=now + CODE_LIFETIME,
    )
    record(
        "device.pairing_code",
        organisation=member.organisation,
        actor=actor,
        obj=code,
        changes={"for_user": member.user_id},
    )
    return code, f"{raw[:4]}-{raw[4:]}"


@transaction.atomic
def pair_device(
    code: str, *, name: str, platform: str = "", os_version: str = "", app_version: str = "", actor: Actor
) -> tuple[Device, str]:
    """Exchange a pairing code for a device token (shown once, stored as a hash)."""
    found = (
        PairingCode.objects.select_for_update()
        .select_related("organisation")
        .filter(code_hash=hash_secret(normalise_code(code)))
        .first()
    )
    if found is None or found.used_at is not None or found.expires_at <= timezone.now():
        # One message for unknown, used and expired: a guesser learns nothing.
        raise ActionError(
            "this pairing code is not valid (wrong, used or expired)", field="code", status_code=400
        )
    member = (
        Membership.objects.select_related("organisation", "user")
        .filter(organisation_id=found.organisation_id, user_id=found.user_id, is_active=True)
        .first()
    )
    if member is None:
        raise ActionError(
            "this pairing code is not valid (wrong, used or expired)", field="code", status_code=400
        )
    name = (name or "").strip()[:100] or "Phone"
    found.used_at = timezone.now()
    found.save(update_fields=["used_at"])
    token, raw = create_api_token(member, name=name, actor=actor, kind=TokenKind.DEVICE)
    device = Device.objects.create(
        organisation_id=member.organisation_id,
        user_id=member.user_id,
        token=token,
        name=name,
        platform=(platform or "")[:40],
        os_version=(os_version or "")[:60],
        app_version=(app_version or "")[:60],
    )
    record(
        "device.pair",
        organisation=member.organisation,
        actor=Actor(kind="device", user=member.user, token=token, ip=actor.ip, user_agent=actor.user_agent),
        obj=device,
    )
    return device, raw


def report_state(
    device: Device,
    *,
    call_log_permission: str | None = None,
    last_call_log_read_at=None,
    queue_length: int | None = None,
) -> Device:
    fields = ["last_seen_at"]
    device.last_seen_at = timezone.now()
    if call_log_permission is not None:
        if call_log_permission not in (Permission.GRANTED, Permission.REVOKED):
            raise ActionError("must be granted or revoked", field="call_log_permission")
        device.call_log_permission = call_log_permission
        fields.append("call_log_permission")
    if last_call_log_read_at is not None:
        device.last_call_log_read_at = last_call_log_read_at
        fields.append("last_call_log_read_at")
    if queue_length is not None:
        device.queue_length = queue_length
        fields.append("queue_length")
    device.save(update_fields=fields)
    return device


@transaction.atomic
def revoke_device(device: Device, *, actor: Actor, by: Membership) -> Device:
    if by.user_id != device.user_id and not by.has_role(Role.MANAGER):
        raise ActionError(
            "only the device's owner or a manager can revoke it", field="device", status_code=403
        )
    if device.revoked_at is None:
        device.revoked_at = timezone.now()
        device.save(update_fields=["revoked_at"])
        revoke_api_token(device.token, actor=actor)
        record("device.revoke", organisation=device.organisation, actor=actor, obj=device)
    return device
