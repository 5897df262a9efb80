"""Calls through the organisation's cloud-telephony line (Exotel, Twilio): stored from the
provider's status callback, one call per provider call id, and then put through everything a
synced call goes through (the outcome sheet's twin, the lead's last contact, the missed-call
loop, the roll-ups and the post-call prompt), so a dashboard cannot tell the two apart.

Unlike a phone's synced log they are not cut to the person's shifts: the line is the company's,
and a call on it is a business call whether or not the agent had punched in (docs/decisions.md).
"""

import dataclasses
import datetime as dt

from django.db import IntegrityError, transaction

from leadtracker.accounts.audit import Actor, record
from leadtracker.calls import callbacks
from leadtracker.calls.ingest import CleanCall, touch_leads
from leadtracker.calls.models import TALKED, Call, CallVia
from leadtracker.calls.sheet.twins import absorb_logged_twins
from leadtracker.calls.signals import calls_stored


@dataclasses.dataclass(slots=True)
class LineCall:
    """One call as the provider reported it, already read by the provider's module."""

    call_id: str  # "<provider>:<the provider's id>", unique in the organisation
    user_id: int  # the agent whose phone the line rang (or who is to return a missed call)
    number: str  # the other party: E.164 when valid, else its digits; "" when withheld
    valid: bool
    type: str  # CallType
    status: str  # CallStatus
    direction: str
    started_at: dt.datetime
    duration_s: int
    lead_id: int | None = None
    owner_id: int | None = None


def _clean(line: LineCall) -> CleanCall:
    return CleanCall(
        index=0,
        device_call_id=line.call_id,
        number=line.number,
        valid=line.valid,
        country_iso="",
        type=line.type,
        status=line.status,
        direction=line.direction,
        started_at=line.started_at.replace(microsecond=0),
        duration_s=line.duration_s,
        sim="",
        contact_name="",
        lead_id=line.lead_id,
        owner_id=line.owner_id,
    )


@transaction.atomic
def store_line_call(org, line: LineCall, *, actor: Actor) -> tuple[Call, bool]:
    """Store ``line`` or bring the stored one up to date. Returns (call, created). The same
    report three times stores one call and writes once; a later report with another status
    or duration (Exotel's 'answered' event, then its 'terminal' one) updates that call."""
    clean = _clean(line)
    existing = (
        Call.objects.select_for_update()
        .filter(organisation_id=org.pk, via=CallVia.CLOUD, device_call_id=line.call_id)
        .first()
    )
    if existing is None:
        try:
            with transaction.atomic():
                call = Call.objects.create(
                    organisation_id=org.pk,
                    user_id=line.user_id,
                    lead_id=line.lead_id,
                    device_call_id=line.call_id,
                    number=clean.number,
                    type=clean.type,
                    status=clean.status,
                    direction=clean.direction,
                    started_at=clean.started_at,
                    duration_s=clean.duration_s,
                    via=CallVia.CLOUD,
                )
        except IntegrityError:
            # The provider's retry, stored by a concurrent request a moment ago; or the same
            # call by the house's other key (person, number, second, type), reported under
            # another id: stored already, so not again.
            existing = (
                Call.objects.select_for_update()
                .filter(organisation_id=org.pk, via=CallVia.CLOUD, device_call_id=line.call_id)
                .first()
            )
            if existing is None:
                same = Call.objects.get(
                    organisation_id=org.pk,
                    user_id=line.user_id,
                    number=clean.number,
                    started_at=clean.started_at,
                    type=clean.type,
                )
                return same, False
        else:
            _after_stored(org, call, clean, actor=actor)
            record(
                "call.line",
                organisation=org,
                actor=actor,
                obj=call,
                changes={"lead": call.lead_id, "status": call.status, "duration_s": call.duration_s},
            )
            return call, True
    return _update(org, existing, clean, actor=actor), False


def _after_stored(org, call: Call, clean: CleanCall, *, actor: Actor) -> None:
    stored = [(call.pk, clean)]
    # The sheet saved during the call logged it by hand: that row's outcome moves onto this one.
    twins = absorb_logged_twins(org, call.user_id, stored, actor=actor)
    touch_leads(stored)
    returned = callbacks.on_calls_stored(org, stored, user_id=call.user_id)
    calls_stored.send(
        sender=Call,
        organisation=org,
        user_id=call.user_id,
        moments=[clean.started_at, *(t.started_at for t in twins)],
        call_back_call_ids=returned,
    )


def _update(org, call: Call, clean: CleanCall, *, actor: Actor) -> Call:
    changed = {
        name: getattr(clean, name)
        for name in ("type", "status", "duration_s")
        if getattr(call, name) != getattr(clean, name)
    }
    if not changed:
        return call  # a retry of what is stored: nothing to do, nothing to record
    was_talked = call.status in TALKED
    for name, value in changed.items():
        setattr(call, name, value)
    call.save(update_fields=list(changed))
    returned = set()
    if call.status in TALKED and not was_talked:
        # Only now a conversation: it returns the number's open missed call. (A miss is never
        # replayed twice: the loop would count it as a second miss.)
        clean.lead_id, clean.owner_id = call.lead_id, None
        returned = callbacks.on_calls_stored(org, [(call.pk, clean)], user_id=call.user_id)
    calls_stored.send(
        sender=Call,
        organisation=org,
        user_id=call.user_id,
        moments=[call.started_at],
        call_back_call_ids=returned,
    )
    record("call.line_update", organisation=org, actor=actor, obj=call, changes=changed)
    return call
