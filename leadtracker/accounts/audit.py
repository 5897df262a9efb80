"""Who did what: the actor of an action and the one function that writes audit events."""

from dataclasses import dataclass, field

from leadtracker.accounts.models import ActorKind, AuditEvent
from leadtracker.lib.http import client_ip, user_agent


@dataclass
class Actor:
    kind: str = ActorKind.SYSTEM
    user: object = None
    token: object = None
    ip: str | None = None
    user_agent: str = ""
    extra: dict = field(default_factory=dict)

    @classmethod
    def system(cls) -> "Actor":
        return cls(kind=ActorKind.SYSTEM)

    @classmethod
    def for_user(cls, user) -> "Actor":
        return cls(kind=ActorKind.USER, user=user)

    @classmethod
    def from_request(cls, request) -> "Actor":
        token = getattr(request, "api_token", None)
        user = request.user if getattr(request, "user", None) and request.user.is_authenticated else None
        kind = ActorKind.SYSTEM
        if token is not None and token.kind == "device":
            kind = ActorKind.DEVICE
        elif user is not None:
            kind = ActorKind.USER
        return cls(kind=kind, user=user, token=token, ip=client_ip(request), user_agent=user_agent(request))


def record(
    action: str,
    *,
    organisation,
    actor: Actor,
    obj=None,
    changes: dict | None = None,
    object_type: str = "",
    object_id: str = "",
) -> AuditEvent:
    """Write one audit event. ``changes`` must hold no raw personal data (no names,
    numbers, addresses): field names, roles, ids and flags only."""
    if obj is not None:
        object_type = object_type or obj._meta.model_name
        object_id = object_id or str(obj.pk)
    return AuditEvent.objects.create(
        organisation=organisation,
        actor_kind=actor.kind,
        actor_user=actor.user,
        actor_token=actor.token,
        action=action,
        object_type=object_type,
        object_id=object_id,
        ip_address=actor.ip,
        user_agent=actor.user_agent,
        changes=changes or {},
    )


def record_access(request, action: str, *, object_type: str, object_id="", changes: dict | None = None):
    """Someone read personal data: one INSERT and nothing else — no read before it and no
    de-duplication of repeated opens, which would need a read (or a cache row) costing as
    much as the write it saves, and would make "who looked, when" inexact."""
    return record(
        action,
        organisation=request.org,
        actor=Actor.from_request(request),
        object_type=object_type,
        object_id=str(object_id),
        changes=changes,
    )


def record_export(sender, *, request, audit, **kwargs) -> AuditEvent:
    """A download written by lib/spreadsheet.py (connected to its ``exported`` signal in
    AccountsConfig.ready): the one event of that export."""
    return record_access(
        request,
        audit.action,
        object_type=audit.object_type,
        object_id=audit.object_id,
        changes=audit.changes,
    )


def number_fingerprint(organisation_id: int, text: str, region: str = "IN") -> str:
    """A searched number as it may be kept in the audit log: a keyed hash, never the number.

    Any way of writing one number gives one fingerprint (E.164 when it is a valid number, else
    its digits), so an admin asking "who searched for this person?" types the number and the
    log is filtered by its fingerprint. Keyed per organisation with the server's secret: the log
    alone, or a copy of it, cannot be matched against a list of numbers."""
    from django.utils.crypto import salted_hmac

    from leadtracker.lib.phones import InvalidPhone, normalise, to_ascii_digits

    try:
        value = normalise(text, region)
    except InvalidPhone:
        value = "".join(ch for ch in to_ascii_digits(text) if ch.isdigit())
    salt = f"leadtracker.audit.number-search.{organisation_id}"
    return salted_hmac(salt, value, algorithm="sha256").hexdigest()[:20]
