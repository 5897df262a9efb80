"""Reads: an organisation's notices, the one in effect, and whether a member has accepted it;
the data requests register and the people a request can be about.

Notices are not personal data and belong to the organisation: admins see all of its versions,
anyone sees the effective one (the public page); visibility is the organisation alone.
Data requests are personal data handled by admins and owners only: the views and the API check
the role, these reads apply the organisation, so another organisation's id is not found.
"""

from django.db.models import Case, F, IntegerField, TextField, Value, When
from django.db.models.functions import Cast
from django.utils import timezone

from leadtracker.accounts.models import Membership, Role
from leadtracker.leads.models import Lead, TrashedLead
from leadtracker.lib.phones import normalise
from leadtracker.privacy.models import (
    AccessExport,
    DataRequest,
    LegalHold,
    NoticeAcceptance,
    PrivacyNotice,
    PrivacySettings,
)


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
    return NoticeAcceptance.objects.filter(
        organisation_id=notice_obj.organisation_id, notice=notice_obj, user_id=user_id
    ).exists()


def pending_notice(membership, now=None) -> PrivacyNotice | None:
    """The effective notice the member has yet to accept, or None (also when there is none)."""
    current = effective_notice(membership.organisation_id, now)
    if current is None or has_accepted(membership.user_id, current):
        return None
    return current


def request_period_days(org_id) -> int:
    row = PrivacySettings.objects.filter(organisation_id=org_id).first()
    return row.request_period_days if row else PrivacySettings._meta.get_field("request_period_days").default


def data_requests(org_id):
    """The register: open and in-progress requests first, each part by due date."""
    return (
        DataRequest.objects.filter(organisation_id=org_id)
        .select_related("lead", "member__user", "closed_by")
        .annotate(
            closed_rank=Case(
                When(closed_at__isnull=True, then=Value(0)), default=Value(1), output_field=IntegerField()
            )
        )
        .order_by("closed_rank", "due_at", "pk")
    )


def data_request(org_id, request_id):
    """The organisation's request, or DataRequest.DoesNotExist (another organisation's id too)."""
    return DataRequest.objects.select_related("lead", "member__user", "closed_by", "created_by").get(
        organisation_id=org_id, pk=request_id
    )


def lead_by_phone(org, raw_phone: str):
    """The lead holding this number, written in any format; None if none does.
    InvalidPhone if it is not a number at all."""
    e164 = normalise(raw_phone, org.phone_region)
    return Lead.objects.filter(organisation_id=org.pk, phones__e164=e164).first()


def lead_by_email(org, email: str):
    # Lead e-mails are stored lower-cased, so an equality keeps to the index.
    return Lead.objects.filter(organisation_id=org.pk, email=email.strip().lower()).first()


def lead_in(org_id, lead_id):
    return Lead.objects.filter(organisation_id=org_id, pk=lead_id).first()


def member_in(org_id, member_id):
    return Membership.objects.select_related("user").filter(organisation_id=org_id, pk=member_id).first()


def members(org_id):
    return (
        Membership.objects.filter(organisation_id=org_id)
        .select_related("user")
        .order_by("user__full_name", "user__email")
    )


def request_handlers(org_id):
    """Who is told about overdue requests: the organisation's active admins and owners."""
    return Membership.objects.filter(
        organisation_id=org_id, is_active=True, role__in=[Role.ADMIN, Role.OWNER], user__is_active=True
    )


def data_request_or_none(org_id, request_id):
    return (
        DataRequest.objects.select_related("lead", "member__user")
        .filter(organisation_id=org_id, pk=request_id)
        .first()
    )


def access_exports(org_id):
    """The organisation's access exports, newest first. Admins and owners only (checked by the
    views and the API): each one names whom it is about."""
    return (
        AccessExport.objects.filter(organisation_id=org_id)
        .select_related("lead", "member__user", "requested_by", "data_request")
        .order_by("-created_at", "-pk")
    )


def access_export(org_id, export_id):
    """The organisation's export, or None (another organisation's id too)."""
    return access_exports(org_id).filter(pk=export_id).first()


def active_hold(org, *, lead=None, member=None) -> LegalHold | None:
    holds = LegalHold.objects.filter(organisation=org, released_at__isnull=True)
    if lead is not None:
        return holds.filter(lead=lead).first()
    return holds.filter(member=member).first()


def trashed_lead_of_request(data_request):
    """The trashed lead an erasure or access request was about (its pointer went empty when the
    lead was trashed), or None."""
    if data_request.lead_id is not None or data_request.member_id is not None:
        return None
    candidates = TrashedLead.objects.filter(organisation_id=data_request.organisation_id).annotate(
        _text=Cast("snapshot", TextField())
    )
    for trashed in candidates.filter(_text__contains="privacy.datarequest").only("pk", "snapshot"):
        for link in trashed.snapshot.get("links", []):
            if link.get("model") == "privacy.datarequest" and any(
                pk == data_request.pk for pk, _ in link["rows"]
            ):
                return TrashedLead.objects.select_related("organisation").get(pk=trashed.pk)
    return None


def legal_holds(org_id):
    """Unreleased first, newest first."""
    return (
        LegalHold.objects.filter(organisation_id=org_id)
        .select_related("lead", "member__user", "created_by")
        .order_by(F("released_at").desc(nulls_first=True), "-created_at", "-pk")
    )


def legal_hold(org_id, hold_id) -> LegalHold:
    """The organisation's hold, or LegalHold.DoesNotExist (another organisation's id too)."""
    return LegalHold.objects.select_related("organisation").get(organisation_id=org_id, pk=hold_id)
