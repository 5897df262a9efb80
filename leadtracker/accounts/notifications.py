"""The bell's notifications and the pushes that go with them.

A notification is written once and read later, by its recipient: its text is stored in the
recipient's language, not in that of whoever (or whichever worker) caused it. A caller that
passes a lazy text (``gettext_lazy``, or ``format_lazy`` around one) gets it written in the
recipient's language (accounts/language.py); a plain string is stored as it is, at no cost.
``later(gettext_lazy("… %(name)s …"), name=…)`` is such a text with its values filled in.
"""

from django.db import transaction
from django.utils import timezone, translation
from django.utils.functional import Promise, lazy

from leadtracker.accounts.language import language_of
from leadtracker.accounts.models import Notification, Organisation, PushKind, PushSubscription, User
from leadtracker.accounts.push.tasks import send_push


def later(message: str | Promise, **values) -> Promise:
    """A text translated only when it is written, in the language active then (the recipient's,
    in notify()): ``message`` is a gettext_lazy string, its %(name)s placeholders are filled
    from ``values``."""
    return lazy(lambda: str(message) % values if values else str(message), str)()


def _written(organisation_id: int, texts: dict[int, list]) -> dict[int, list[str]]:
    """``texts`` (by user id) as each user reads them; one query for the people and one for
    the organisation, and only when some text is lazy."""
    if not any(isinstance(t, Promise) for items in texts.values() for t in items):
        return {user_id: [str(t) for t in items] for user_id, items in texts.items()}
    org = Organisation.objects.filter(pk=organisation_id).only("language").first()
    users = User.objects.filter(pk__in=texts).only("language").in_bulk()
    written = {}
    for user_id, items in texts.items():
        with translation.override(language_of(users.get(user_id), org)):
            written[user_id] = [str(t) for t in items]
    return written


def notify(
    *,
    organisation_id: int,
    user_id: int,
    text: str | Promise,
    url: str = "",
    kind: str = PushKind.OTHER,
    lead_id: int | None = None,
) -> Notification:
    """The bell's notification, and a push to the person's browsers (Web Push) when they turned
    it on: queued for the worker once the transaction commits. `lead_id` names the lead it is
    about, so that nothing is pushed once that lead is erased or removed."""
    text = _written(organisation_id, {user_id: [text]})[user_id][0]
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
    texts: dict[int, list] = {}
    for item in items:
        texts.setdefault(item["user_id"], []).append(item["text"])
    written = {user_id: iter(done) for user_id, done in _written(organisation_id, texts).items()}
    notes = Notification.objects.bulk_create(
        Notification(
            organisation_id=organisation_id,
            user_id=i["user_id"],
            text=next(written[i["user_id"]])[:300],
            url=i["url"][:300],
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
