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
