"""Turning Web Push on and off for a browser, choosing its kinds, and dropping subscriptions
the push service says are gone. Each write is audited (no endpoint or key in the event: the
endpoint identifies the browser)."""

import base64
import binascii

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from leadtracker.accounts import audit
from leadtracker.accounts.audit import Actor
from leadtracker.accounts.models import Membership, PushKind, PushPreference, PushSubscription
from leadtracker.accounts.push import endpoints
from leadtracker.lib.errors import ActionError

MAX_PER_MEMBER = 10


def _key(value, size: int, name: str) -> str:
    if not isinstance(value, str) or len(value) > 200:
        raise ActionError(_("%(field)s: missing") % {"field": f"keys.{name}"}, field=f"keys.{name}")
    try:
        raw = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))
    except (binascii.Error, ValueError) as exc:
        message = _("%(field)s: not base64url") % {"field": f"keys.{name}"}
        raise ActionError(message, field=f"keys.{name}") from exc
    if len(raw) != size or (name == "p256dh" and raw[0] != 4):
        message = _("%(field)s: not a key a browser makes (%(size)s bytes)") % {
            "field": f"keys.{name}",
            "size": size,
        }
        raise ActionError(message, field=f"keys.{name}")
    return value.rstrip("=")


@transaction.atomic
def subscribe(member: Membership, *, endpoint: str, keys: dict, user_agent: str = "", actor: Actor):
    """This browser's subscription (PushSubscription.toJSON() of the page): kept, or its keys
    renewed when the browser subscribes again."""
    try:
        endpoints.check(endpoint)
    except endpoints.BadEndpoint as exc:
        raise ActionError(str(exc), field="endpoint") from exc
    keys = keys if isinstance(keys, dict) else {}
    p256dh, auth = _key(keys.get("p256dh"), 65, "p256dh"), _key(keys.get("auth"), 16, "auth")
    mine = PushSubscription.objects.filter(organisation_id=member.organisation_id, user_id=member.user_id)
    sub, created = mine.update_or_create(
        endpoint=endpoint,
        defaults={"p256dh": p256dh, "auth": auth, "user_agent": user_agent[:300]},
        create_defaults={
            "organisation_id": member.organisation_id,
            "user_id": member.user_id,
            "p256dh": p256dh,
            "auth": auth,
            "user_agent": user_agent[:300],
        },
    )
    if created:
        # A person's old browsers are forgotten first, so the list stays short.
        stale = list(mine.order_by("-created_at", "-pk").values_list("pk", flat=True)[MAX_PER_MEMBER:])
        mine.filter(pk__in=stale).delete()
        audit.record("push.subscribed", organisation=member.organisation, actor=actor, obj=sub)
    return sub


@transaction.atomic
def unsubscribe(member: Membership, *, endpoint: str, actor: Actor) -> int:
    subs = PushSubscription.objects.filter(
        organisation_id=member.organisation_id, user_id=member.user_id, endpoint=endpoint
    )
    ids = list(subs.values_list("pk", flat=True))
    subs.delete()
    for pk in ids:
        audit.record(
            "push.unsubscribed",
            organisation=member.organisation,
            actor=actor,
            object_type="pushsubscription",
            object_id=str(pk),
        )
    return len(ids)


def preference(member: Membership) -> PushPreference:
    return PushPreference.objects.filter(
        organisation_id=member.organisation_id, user_id=member.user_id
    ).first() or PushPreference(organisation_id=member.organisation_id, user_id=member.user_id)


@transaction.atomic
def save_preference(
    member: Membership, *, kinds_on: list[str], off_shift: bool, actor: Actor
) -> PushPreference:
    unknown = set(kinds_on) - set(PushKind.values)
    if unknown:
        message = _("kinds: not a kind of notification (%(kinds)s)") % {"kinds": ", ".join(sorted(unknown))}
        raise ActionError(message, field="kinds")
    pref = preference(member)
    pref.kinds_off = [kind for kind in PushKind.values if kind not in kinds_on]
    pref.off_shift = off_shift
    pref.updated_at = timezone.now()
    pref.save()
    audit.record(
        "push.preference_changed",
        organisation=member.organisation,
        actor=actor,
        obj=pref,
        changes={"kinds_off": pref.kinds_off, "off_shift": off_shift},
    )
    return pref


def remove_gone(sub: PushSubscription, *, reason: str) -> None:
    """The push service answered that this subscription no longer exists (or its endpoint is
    one we may not send to): it is forgotten."""
    with transaction.atomic():
        deleted, _ = PushSubscription.objects.filter(pk=sub.pk).delete()
        if deleted:
            audit.record(
                "push.subscription_gone",
                organisation=sub.organisation,
                actor=Actor.system(),
                object_type="pushsubscription",
                object_id=str(sub.pk),
                changes={"reason": reason},
            )
