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


def notify_many(organisation_id: int, items: list[dict]) -> list[Notification]:
    """notify() for many at once (dicts of user_id, text, url, kind, lead_id), in two queries
    however many: for batches such as a phone's synced calls."""
    if not items:
        return []
    notes = Notification.objects.bulk_create(
        Notification(
            organisation_id=organisation_id, user_id=i["user_id"], text=i["text"][:300], url=i["url"][:300]
        )
        for i in items
    )
    subscribed = set(
        PushSubscription.objects.filter(
            organisation_id=organisation_id, user_id__in={i["user_id"] for i in items}
        ).values_list("user_id", flat=True)
    )
    for note, item in zip(notes, items, strict=True):
        if note.user_id in subscribed:
            kind, lead_id = str(item.get("kind", PushKind.OTHER)), item.get("lead_id")
            transaction.on_commit(lambda n=note.pk, k=kind, lead=lead_id: send_push.enqueue(n, k, lead))
    return notes


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
