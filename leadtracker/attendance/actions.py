"""Punching in and out, the automatic close at the day's end, and managers' corrections."""

import datetime as dt
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext

from leadtracker.accounts.audit import Actor, record
from leadtracker.accounts.models import Membership, Organisation, Role
from leadtracker.attendance.models import Shift, ShiftSource
from leadtracker.attendance.signals import shift_changed
from leadtracker.lib.errors import ActionError, Conflict
from leadtracker.lib.timeutil import YEAR, check_within

# A phone that was offline sends the time the person really punched (sync protocol).
MAX_PAST = dt.timedelta(hours=24)
MAX_FUTURE = dt.timedelta(minutes=5)
# A shift is a working day. A correction spanning more is a typo (a wrong year), and every
# person-day it spans would have its figures recomputed (found by the API fuzzer: year 1 to
# 9999 kept a worker busy for minutes).
MAX_SHIFT = dt.timedelta(hours=48)
# A correction is for a shift someone forgot to close this week or this month; a year back is
# payroll long paid. A time beyond is a typo (a wrong year), and 9999 would break every page
# that shows the shift.
MAX_CORRECTION_AGE = YEAR


@dataclass
class Location:
    lat: float
    lon: float
    accuracy_m: float | None = None

    def check(self) -> "Location":
        if not (-90 <= self.lat <= 90):
            raise ActionError(gettext("latitude must be between -90 and 90"), field="location.lat")
        if not (-180 <= self.lon <= 180):
            raise ActionError(gettext("longitude must be between -180 and 180"), field="location.lon")
        if self.accuracy_m is not None and not (0 <= self.accuracy_m <= 100_000):
            raise ActionError(
                gettext("accuracy must be between 0 and 100,000 metres"), field="location.accuracy_m"
            )
        return self


def _check_time(at: dt.datetime | None, now: dt.datetime) -> dt.datetime:
    if at is None:
        return now
    if timezone.is_naive(at):
        raise ActionError(gettext("give the time with its offset (RFC 3339)"), field="at", status_code=422)
    # 422, as the device agent expects of a time it must not send again (sync protocol).
    return check_within(at, "at", past=MAX_PAST, future=MAX_FUTURE, now=now)


def _location_fields(prefix: str, org: Organisation, location: Location | None) -> dict:
    # Stored only where the organisation asks for location; otherwise dropped, not kept quietly.
    if location is None or not org.shift_location:
        return {}
    location.check()
    return {
        f"{prefix}_lat": location.lat,
        f"{prefix}_lon": location.lon,
        f"{prefix}_accuracy_m": location.accuracy_m,
    }


def open_shift(member: Membership) -> Shift | None:
    return Shift.objects.filter(
        organisation_id=member.organisation_id, user_id=member.user_id, ended_at__isnull=True
    ).first()


def punch_in(
    member: Membership,
    *,
    actor: Actor,
    at: dt.datetime | None = None,
    location: Location | None = None,
    via: str = ShiftSource.WEB,
) -> tuple[Shift, bool]:
    """Open a shift; punching in again returns the open one (idempotent). True if new."""
    now = timezone.now()
    at = _check_time(at, now)
    existing = open_shift(member)
    if existing is not None:
        return existing, False
    last = (
        Shift.objects.filter(organisation_id=member.organisation_id, user_id=member.user_id)
        .order_by("-ended_at")
        .first()
    )
    if last is not None and last.ended_at and at < last.ended_at:
        raise Conflict(gettext("starts before your previous shift ended"), field="at")
    org = member.organisation
    try:
        with transaction.atomic():
            shift = Shift.objects.create(
                organisation_id=member.organisation_id,
                user_id=member.user_id,
                started_at=at,
                started_via=via,
                **_location_fields("start", org, location),
            )
            record("shift.punch_in", organisation=org, actor=actor, obj=shift, changes={"via": via})
    except IntegrityError:
        # Two punch-ins at once (a double tap, a resent request): the constraint let one through.
        shift = open_shift(member)
        if shift is None:
            raise
        return shift, False
    return shift, True


@transaction.atomic
def punch_out(
    member: Membership,
    *,
    actor: Actor,
    at: dt.datetime | None = None,
    location: Location | None = None,
    via: str = ShiftSource.WEB,
) -> Shift:
    now = timezone.now()
    at = _check_time(at, now)
    shift = (
        Shift.objects.select_for_update()
        .filter(organisation_id=member.organisation_id, user_id=member.user_id, ended_at__isnull=True)
        .first()
    )
    if shift is None:
        raise Conflict(gettext("you are not punched in"), field="shift")
    if at < shift.started_at:
        raise ActionError(gettext("is before the shift started"), field="at")
    shift.ended_at, shift.ended_via = at, via
    for key, value in _location_fields("end", member.organisation, location).items():
        setattr(shift, key, value)
    shift.save()
    record("shift.punch_out", organisation=member.organisation, actor=actor, obj=shift, changes={"via": via})
    shift_changed.send(
        sender=Shift, organisation=member.organisation, user_id=shift.user_id, spans=[(shift.started_at, at)]
    )
    return shift


def day_end_after(org: Organisation, moment: dt.datetime) -> dt.datetime:
    """The first working-day end (organisation's zone) after ``moment``."""
    tz = org.tzinfo
    local = moment.astimezone(tz)
    end = dt.datetime.combine(local.date(), org.day_end, tz)
    if end <= local:
        end = dt.datetime.combine(local.date() + dt.timedelta(days=1), org.day_end, tz)
    return end


def close_open_shifts(now=None) -> int:
    """The worker's job: a shift still open past its working-day end is closed at that end."""
    now = now or timezone.now()
    closed = 0
    for shift in Shift.objects.filter(ended_at__isnull=True).select_related("organisation"):
        end = day_end_after(shift.organisation, shift.started_at)
        if now < end:
            continue
        with transaction.atomic():
            updated = Shift.objects.filter(pk=shift.pk, ended_at__isnull=True).update(
                ended_at=end, ended_via="", closed_automatically=True
            )
            if updated:
                record("shift.auto_close", organisation=shift.organisation, actor=Actor.system(), obj=shift)
                shift_changed.send(
                    sender=Shift,
                    organisation=shift.organisation,
                    user_id=shift.user_id,
                    spans=[(shift.started_at, end)],
                )
                closed += 1
    return closed


@transaction.atomic
def correct_shift(
    shift: Shift,
    *,
    started_at: dt.datetime,
    ended_at: dt.datetime | None,
    reason: str,
    actor: Actor,
    by: Membership,
) -> Shift:
    """A manager fixes a shift someone forgot to close (or opened late), saying why."""
    if not by.has_role(Role.MANAGER) or by.user_id == shift.user_id and not by.has_role(Role.ADMIN):
        raise ActionError(
            gettext("only a manager (not for their own shift) can correct shifts"),
            field="shift",
            status_code=403,
        )
    reason = (reason or "").strip()
    if len(reason) < 3:
        raise ActionError(gettext("say why the shift is corrected"), field="reason")
    for name, value in (("started_at", started_at), ("ended_at", ended_at)):
        if value is not None and timezone.is_naive(value):
            raise ActionError(gettext("give the time with its offset"), field=name)
        check_within(value, name, past=MAX_CORRECTION_AGE, future=MAX_FUTURE)
    if ended_at is not None and ended_at < started_at:
        raise ActionError(gettext("is before the start"), field="ended_at")
    if (ended_at or timezone.now()) - started_at > MAX_SHIFT:
        raise ActionError(
            gettext("a shift lasts at most 48 hours"),
            field="ended_at" if ended_at is not None else "started_at",
        )
    if ended_at is None and shift.ended_at is not None:
        raise ActionError(gettext("a corrected shift keeps an end"), field="ended_at")
    if started_at > timezone.now() + MAX_FUTURE:
        raise ActionError(gettext("is in the future"), field="started_at")
    overlap = Shift.objects.filter(
        organisation_id=shift.organisation_id,
        user_id=shift.user_id,
        started_at__lt=ended_at or timezone.now(),
    ).exclude(pk=shift.pk)
    overlap = overlap.filter(ended_at__gt=started_at) | overlap.filter(ended_at__isnull=True)
    if overlap.exists():
        raise Conflict(gettext("overlaps another shift of this person"), field="started_at")
    changed = [
        name
        for name, value in (("started_at", started_at), ("ended_at", ended_at))
        if getattr(shift, name) != value
    ]
    before = (shift.started_at, shift.ended_at)
    shift.started_at, shift.ended_at = started_at, ended_at
    shift.corrected_by_id, shift.correction_reason = by.user_id, reason[:300]
    shift.save()
    record(
        "shift.correct", organisation=shift.organisation, actor=actor, obj=shift, changes={"fields": changed}
    )
    shift_changed.send(
        sender=Shift,
        organisation=shift.organisation,
        user_id=shift.user_id,
        spans=[before, (started_at, ended_at)],
    )
    return shift
