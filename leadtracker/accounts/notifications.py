from django.db import transaction
from django.utils import timezone

from leadtracker.accounts.models import Notification, PushKind, PushSubscription
from leadtracker.accounts.push.tasks import send_push


def notify(
    *,
    organisation_id: int,
    user_id: int,
    text: str,
    url: str = "",
    kind: str = PushKind.OTHER,
    lead_id: int | None = None,
) -> Notification:
    """The bell's notification, and a push to the person's browsers (Web Push) when they turned
    it on: queued for the worker once the transaction commits. `lead_id` names the lead it is
    about, so that nothing is pushed once that lead is erased or removed."""
    note = Notification.objects.create(
        organisation_id=organisation_id, user_id=user_id, text=text[:300], url=url[:300]
    )
    if PushSubscription.objects.filter(organisation_id=organisation_id, user_id=user_id).exists():
        # Ids only in the queued job: its row must not hold the lead's name.
        transaction.on_commit(lambda: send_push.enqueue(note.pk, str(kind), lead_id))
    return note


def unread_count(membership) -> int:
    return Notification.objects.filter(
        organisation_id=membership.organisation_id, user_id=membership.user_id, read_at__isnull=True
    ).count()


def inbox(membership, limit: int = 50):
    return Notification.objects.filter(
        organisation_id=membership.organisation_id, user_id=membership.user_id
    ).order_by("-created_at", "-id")[:limit]


def mark_all_read(membership) -> int:
    return Notification.objects.filter(
        organisation_id=membership.organisation_id, user_id=membership.user_id, read_at__isnull=True
    ).update(read_at=timezone.now())
