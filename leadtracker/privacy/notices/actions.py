"""Writes to privacy notices: drafts, publishing (which freezes a version) and acceptance."""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from leadtracker.accounts import audit
from leadtracker.lib.errors import ActionError, Conflict
from leadtracker.lib.timeutil import YEAR, check_within
from leadtracker.privacy import selectors
from leadtracker.privacy.models import (
    NoticeAcceptance,
    PrivacyNotice,
)
from leadtracker.privacy.notices import defaults
from leadtracker.privacy.validation import CLOCK_SLACK, aware, clean_items

FROZEN = "a published notice cannot change; start a new draft instead"


def _clean_title(title: str) -> str:
    title = (title or "").strip()
    if not title:
        raise ActionError(_("a notice needs a title"), field="title")
    if len(title) > 200:
        raise ActionError(_("at most 200 characters"), field="title")
    return title


# A notice takes effect within ten years, and a draft is dated no further back: beyond is a typo
# (a wrong year), and one draft dated 9999 made the privacy settings page answer 500.
NOTICE_WINDOW = 10 * YEAR
# A request is registered as it comes, or a little late (a letter opened late); one received over


def _aware(value, field="effective_at"):
    return aware(value, field, past=NOTICE_WINDOW, future=NOTICE_WINDOW)


def create_draft(
    org, *, actor: audit.Actor, title=None, introduction=None, items=None, effective_at=None
) -> PrivacyNotice:
    """A new draft. What is not given is copied from the latest published version, or, for an
    organisation's first notice, from the default that describes what LeadTracker holds."""
    base = selectors.latest_published(org.pk)
    draft = PrivacyNotice(
        organisation=org,
        title=_clean_title(
            title if title is not None else (base.title if base else defaults.default_title(org))
        ),
        introduction=(
            introduction
            if introduction is not None
            else (base.introduction if base else defaults.default_introduction(org))
        ).strip(),
        items=clean_items(
            items if items is not None else (base.items if base else defaults.default_items(org))
        ),
        effective_at=_aware(effective_at),
    )
    draft.save()
    audit.record(
        "privacy_notice.draft_created",
        organisation=org,
        actor=actor,
        obj=draft,
        changes={"from_version": base.version if base else None, "items": len(draft.items)},
    )
    return draft


_UNSET = object()


def update_draft(
    notice: PrivacyNotice,
    *,
    actor: audit.Actor,
    title=_UNSET,
    introduction=_UNSET,
    items=_UNSET,
    effective_at=_UNSET,
) -> PrivacyNotice:
    with transaction.atomic():
        locked = PrivacyNotice.objects.select_for_update().get(pk=notice.pk)
        if locked.is_published:
            raise Conflict(FROZEN, field="notice")
        changed = []
        if title is not _UNSET:
            locked.title = _clean_title(title)
            changed.append("title")
        if introduction is not _UNSET:
            locked.introduction = (introduction or "").strip()
            changed.append("introduction")
        if items is not _UNSET:
            locked.items = clean_items(items)
            changed.append("items")
        if effective_at is not _UNSET:
            locked.effective_at = _aware(effective_at)
            changed.append("effective_at")
        locked.save()
        audit.record(
            "privacy_notice.draft_updated",
            organisation=locked.organisation,
            actor=actor,
            obj=locked,
            changes={"fields": changed},
        )
    return locked


def delete_draft(notice: PrivacyNotice, *, actor: audit.Actor) -> None:
    """Throw a draft away. A published version is never deleted: members accepted it, and the
    record of what they accepted must stay (409)."""
    with transaction.atomic():
        locked = PrivacyNotice.objects.select_for_update().get(pk=notice.pk)
        if locked.is_published:
            raise Conflict(
                _("a published notice cannot be deleted; it is what members accepted"), field="notice"
            )
        audit.record(
            "privacy_notice.draft_deleted",
            organisation=locked.organisation,
            actor=actor,
            obj=locked,
            changes={"items": len(locked.items)},
        )
        locked.delete()


def publish_notice(
    notice: PrivacyNotice, *, actor: audit.Actor, effective_at=None, now=None
) -> PrivacyNotice:
    """Freeze the draft as the organisation's next version, taking effect at ``effective_at``
    (the draft's own date if not given; now if neither). It cannot take effect in the past —
    members would have been bound by a text they never saw — nor before an earlier version."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = PrivacyNotice.objects.select_for_update().select_related("organisation").get(pk=notice.pk)
        if locked.is_published:
            raise Conflict(FROZEN, field="notice")
        when = _aware(effective_at) or locked.effective_at or now
        # A draft dated before its date was checked (or by an older release) is checked here.
        check_within(when, "effective_at", past=None, future=NOTICE_WINDOW, now=now)
        if when < now - CLOCK_SLACK:
            raise ActionError(
                _("cannot be in the past; a notice takes effect now or later"), field="effective_at"
            )
        when = max(when, now)
        previous = selectors.latest_published(locked.organisation_id)
        if previous is not None and when < previous.effective_at:
            raise ActionError(
                _("must not be before version %(version)s takes effect (%(at)s)")
                % {"version": previous.version, "at": previous.effective_at.isoformat()},
                field="effective_at",
            )
        clean_items(locked.items)  # a draft written by an older release must still be whole
        locked.version = (previous.version if previous else 0) + 1
        locked.effective_at = when
        locked.published_at = now
        try:
            with transaction.atomic():
                locked.save()
        except IntegrityError:
            raise Conflict(
                _("another version was published at the same time; try again"), field="notice"
            ) from None
        audit.record(
            "privacy_notice.published",
            organisation=locked.organisation,
            actor=actor,
            obj=locked,
            changes={"version": locked.version, "effective_at": when.isoformat(), "items": len(locked.items)},
        )
    return locked


def accept_notice(
    membership, notice: PrivacyNotice, *, now=None, actor: audit.Actor | None = None
) -> NoticeAcceptance:
    """Record that the member accepted this version (once; accepting again returns the record).
    ``actor`` carries the request's address; without one the member is the actor."""
    if notice.organisation_id != membership.organisation_id or not notice.is_published:
        raise ActionError(_("not a published notice of your organisation"), field="notice", status_code=404)
    now = now or timezone.now()
    if notice.effective_at > now:
        raise ActionError(_("this version has not taken effect yet"), field="notice")
    try:
        with transaction.atomic():
            acceptance = NoticeAcceptance.objects.create(
                organisation_id=membership.organisation_id,
                notice=notice,
                user_id=membership.user_id,
                version=notice.version,
                accepted_at=now,
            )
            audit.record(
                "privacy_notice.accepted",
                organisation=notice.organisation,
                actor=actor or audit.Actor.for_user(membership.user),
                obj=acceptance,
                changes={"notice": notice.pk, "version": notice.version},
            )
            return acceptance
    except IntegrityError:
        # Two tabs pressed "I accept": the first record stands.
        return NoticeAcceptance.objects.get(
            organisation_id=membership.organisation_id, notice=notice, user_id=membership.user_id
        )
