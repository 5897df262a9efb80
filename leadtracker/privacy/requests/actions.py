"""Writes to the data requests register: registering, handling, closing, overdue alerts."""

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from leadtracker.accounts import audit
from leadtracker.accounts.notifications import later, notify
from leadtracker.lib.errors import ActionError, Conflict
from leadtracker.lib.formats import day
from leadtracker.lib.phones import InvalidPhone
from leadtracker.lib.timeutil import YEAR, to_local
from leadtracker.privacy import selectors
from leadtracker.privacy.models import (
    CLOSED_STATUSES,
    DataRequest,
    PrivacySettings,
    RequestChannel,
    RequestKind,
    RequestStatus,
)
from leadtracker.privacy.validation import CLOCK_SLACK, aware

# a year ago is past any period it could be due in.
RECEIVED_WINDOW = YEAR

OVERDUE = gettext_lazy("Data request #%(number)s (%(kind)s) is overdue: it was due %(due)s.")
_lower = lazy(lambda text: str(text).lower(), str)


MIN_PERIOD_DAYS = 1
# The law gives about a month; a year is the most any reading of "without undue delay" allows.
MAX_PERIOD_DAYS = 365
CLOSED = "a closed request cannot change; register a new request instead"


_UNSET = object()


def set_request_period(org, days, *, actor: audit.Actor) -> PrivacySettings:
    """How many days after receipt a new request is due. Requests already registered keep
    their due date: it was the promise made when they arrived."""
    if not isinstance(days, int) or isinstance(days, bool) or not MIN_PERIOD_DAYS <= days <= MAX_PERIOD_DAYS:
        raise ActionError(
            _("a whole number of days from %(low)s to %(high)s")
            % {"low": MIN_PERIOD_DAYS, "high": MAX_PERIOD_DAYS},
            field="request_period_days",
        )
    row, _created = PrivacySettings.objects.update_or_create(
        organisation=org, defaults={"request_period_days": days}
    )
    audit.record(
        "privacy_settings.updated",
        organisation=org,
        actor=actor,
        obj=row,
        changes={"request_period_days": days},
    )
    return row


def _text(value, field, *, required=False, max_length=None) -> str:
    value = (value or "").strip()
    if required and not value:
        raise ActionError(_("is required"), field=field)
    if max_length and len(value) > max_length:
        raise ActionError(_("at most %(n)s characters") % {"n": max_length}, field=field)
    return value


def _choice(value, choices, field) -> str:
    if value not in choices.values:
        raise ActionError(
            _("must be one of: %(values)s") % {"values": ", ".join(choices.values)}, field=field
        )
    return value


def find_subject(org, *, lead_id=None, member_id=None, phone=None, email=None):
    """The (lead, member) a request is about, from exactly one of its four ways of naming them.

    Ids of another organisation answer 404 like ids that do not exist; they are looked up
    before the one-of rule, so a foreign id is never told apart from a bad combination."""
    lead = member = None
    if lead_id is not None:
        lead = selectors.lead_in(org.pk, lead_id)
        if lead is None:
            raise ActionError(_("no such lead"), field="lead_id", status_code=404)
    if member_id is not None:
        member = selectors.member_in(org.pk, member_id)
        if member is None:
            raise ActionError(_("no such member"), field="member_id", status_code=404)
    given = [
        name
        for name, value in (
            ("lead_id", lead_id),
            ("member_id", member_id),
            ("phone", phone),
            ("email", email),
        )
        if value not in (None, "")
    ]
    if len(given) != 1:
        raise ActionError(
            _("name the person with exactly one of lead_id, member_id, phone or email"), field="subject"
        )
    if phone:
        try:
            lead = selectors.lead_by_phone(org, phone)
        except InvalidPhone as exc:
            raise ActionError(str(exc), field="phone") from None
        if lead is None:
            raise ActionError(_("no lead of this organisation has this number"), field="phone")
    elif email:
        lead = selectors.lead_by_email(org, email)
        if lead is None:
            raise ActionError(_("no lead of this organisation has this e-mail address"), field="email")
    return lead, member


def create_request(
    org,
    *,
    actor: audit.Actor,
    kind: str,
    requested_by: str,
    channel: str,
    lead=None,
    member=None,
    received_at=None,
    details: str = "",
    verification_note: str = "",
    now=None,
) -> DataRequest:
    """Register a request; it is due the organisation's period (30 days by default) after it
    was received, which may be earlier than today (a letter opened late) but not later."""
    now = now or timezone.now()
    if (lead is None) == (member is None):
        raise ActionError(_("a request is about one lead or one member"), field="subject")
    for subject in (lead, member):
        if subject is not None and subject.organisation_id != org.pk:
            raise ActionError(_("not found"), field="subject", status_code=404)
    received_at = aware(received_at, "received_at", past=RECEIVED_WINDOW, future=None) or now
    if received_at > now + CLOCK_SLACK:
        raise ActionError(_("cannot be in the future"), field="received_at")
    period = selectors.request_period_days(org.pk)
    request = DataRequest.objects.create(
        organisation=org,
        kind=_choice(kind, RequestKind, "kind"),
        lead=lead,
        member=member,
        requested_by=_text(requested_by, "requested_by", required=True, max_length=200),
        channel=_choice(channel, RequestChannel, "channel"),
        details=_text(details, "details", max_length=10_000),
        received_at=received_at,
        due_at=received_at + dt.timedelta(days=period),
        verification_note=_text(verification_note, "verification_note", max_length=10_000),
        created_by=actor.user,
    )
    audit.record(
        "data_request.created",
        organisation=org,
        actor=actor,
        obj=request,
        changes={
            "kind": request.kind,
            "lead_id": request.lead_id,
            "member_id": request.member_id,
            "period_days": period,
        },
    )
    return request


def update_request(
    request: DataRequest,
    *,
    actor: audit.Actor,
    status=_UNSET,
    verification_note=_UNSET,
    outcome=_UNSET,
    refusal_reason=_UNSET,
    now=None,
) -> DataRequest:
    """Handle a request: note how the person's identity was checked, move it along, close it.
    Done needs an outcome (what was given, corrected or erased) and refused a written reason;
    closing records who closed it and when, and a closed request no longer changes."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = DataRequest.objects.select_for_update().select_related("organisation").get(pk=request.pk)
        if locked.is_closed:
            raise Conflict(CLOSED, field="status")
        changed = []
        if verification_note is not _UNSET:
            locked.verification_note = _text(verification_note, "verification_note", max_length=10_000)
            changed.append("verification_note")
        if outcome is not _UNSET:
            locked.outcome = _text(outcome, "outcome", max_length=10_000)
            changed.append("outcome")
        if refusal_reason is not _UNSET:
            locked.refusal_reason = _text(refusal_reason, "refusal_reason", max_length=10_000)
            changed.append("refusal_reason")
        if status is not _UNSET:
            locked.status = _choice(status, RequestStatus, "status")
            changed.append("status")
        if locked.status == RequestStatus.REFUSED and not locked.refusal_reason:
            raise ActionError(_("a refusal needs a written reason"), field="refusal_reason")
        if locked.status == RequestStatus.DONE and not locked.outcome:
            raise ActionError(_("say what was done before closing the request"), field="outcome")
        if locked.status in CLOSED_STATUSES:
            locked.closed_at = now
            locked.closed_by = actor.user
        locked.save()
        audit.record(
            "data_request.closed" if locked.is_closed else "data_request.updated",
            organisation=locked.organisation,
            actor=actor,
            obj=locked,
            changes={"fields": changed, "status": locked.status},
        )
    return locked


def alert_overdue_requests(now=None) -> int:
    """Tell each organisation's admins and owners, once, about every request past its due date
    and not closed. Returns how many requests were alerted."""
    now = now or timezone.now()
    alerted = 0
    due = (
        DataRequest.objects.filter(overdue_alerted_at__isnull=True, due_at__lt=now)
        .exclude(status__in=CLOSED_STATUSES)
        .select_related("organisation")
        .order_by("due_at")[:500]
    )
    for request in due:
        with transaction.atomic():
            # Claimed by an UPDATE: a second worker, or a request closed meanwhile, finds nothing.
            claimed = (
                DataRequest.objects.filter(pk=request.pk, overdue_alerted_at__isnull=True)
                .exclude(status__in=CLOSED_STATUSES)
                .update(overdue_alerted_at=now)
            )
            if not claimed:
                continue
            due_on = day(to_local(request.due_at, request.organisation.tzinfo).date())
            # No name in the text: the notification lists are not the place for personal data.
            # Written in each handler's language (accounts/notifications.py), the kind too.
            kind = _lower(RequestKind(request.kind).label)
            text = later(OVERDUE, number=request.pk, kind=kind, due=due_on)
            url = f"/settings/privacy/requests/{request.pk}/"
            for handler in selectors.request_handlers(request.organisation_id):
                notify(organisation_id=request.organisation_id, user_id=handler.user_id, text=text, url=url)
            audit.record(
                "data_request.overdue_alerted",
                organisation=request.organisation,
                actor=audit.Actor.system(),
                obj=request,
                changes={"due_at": request.due_at.isoformat()},
            )
            alerted += 1
    return alerted
