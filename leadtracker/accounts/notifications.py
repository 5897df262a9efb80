from django.utils import timezone

from leadtracker.accounts.models import Notification


def notify(*, organisation_id: int, user_id: int, text: str, url: str = "") -> Notification:
    return Notification.objects.create(
        organisation_id=organisation_id, user_id=user_id, text=text[:300], url=url[:300]
    )


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
