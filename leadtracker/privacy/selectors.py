"""Reads: an organisation's notices, the one in effect, and whether a member has accepted it.

Notices are not personal data and belong to the organisation: admins see all of its versions,
anyone sees the effective one (the public page); visibility is the organisation alone.
"""

from django.utils import timezone

from leadtracker.privacy.models import NoticeAcceptance, PrivacyNotice


def notices(org_id):
    return PrivacyNotice.objects.filter(organisation_id=org_id).order_by("-version", "-created_at", "-pk")


def notice(org_id, notice_id) -> PrivacyNotice:
    """The organisation's notice, or PrivacyNotice.DoesNotExist (another organisation's id too)."""
    return PrivacyNotice.objects.get(organisation_id=org_id, pk=notice_id)


def effective_notice(org_id, now=None) -> PrivacyNotice | None:
    """The version in effect: the published one that took effect last (a later effective date
    waits its turn)."""
    now = now or timezone.now()
    return (
        PrivacyNotice.objects.filter(
            organisation_id=org_id, published_at__isnull=False, effective_at__lte=now
        )
        .order_by("-effective_at", "-version")
        .first()
    )


def next_change_at(org_id, now=None):
    """When the next published version takes effect, if one is scheduled."""
    now = now or timezone.now()
    return (
        PrivacyNotice.objects.filter(organisation_id=org_id, published_at__isnull=False, effective_at__gt=now)
        .order_by("effective_at")
        .values_list("effective_at", flat=True)
        .first()
    )


def latest_published(org_id) -> PrivacyNotice | None:
    return (
        PrivacyNotice.objects.filter(organisation_id=org_id, published_at__isnull=False)
        .order_by("-version")
        .first()
    )


def has_accepted(user_id, notice_obj) -> bool:
    return NoticeAcceptance.objects.filter(notice=notice_obj, user_id=user_id).exists()


def pending_notice(membership, now=None) -> PrivacyNotice | None:
    """The effective notice the member has yet to accept, or None (also when there is none)."""
    current = effective_notice(membership.organisation_id, now)
    if current is None or has_accepted(membership.user_id, current):
        return None
    return current
