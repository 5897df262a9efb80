"""Saving the outcome sheet: the outcome on the call, the lead's status, its one next follow-up."""

import dataclasses
import datetime as dt

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext

from leadtracker.accounts.audit import Actor
from leadtracker.accounts.models import Membership
from leadtracker.calls.actions import (
    NextFollowUp,
    create_lead_from_call,
    log_call,
    may_own_call_lead,
    record_outcome,
)
from leadtracker.calls.models import UNANSWERED, Call, Outcome
from leadtracker.leads.actions.follow_ups import complete_follow_up, schedule_follow_up
from leadtracker.leads.actions.leads import change_status
from leadtracker.leads.models import FollowUp, StatusKind
from leadtracker.lib.errors import ActionError, Conflict

# A call the phone synced this long ago, to the lead and without an outcome yet, is the call
# a sheet opened from the lead (or the queue) is about; else the sheet logs the call itself.
SYNCED_CALL_WINDOW = dt.timedelta(hours=2)


@dataclasses.dataclass
class SheetData:
    outcome_id: int | None
    note: str = ""
    follow_up: NextFollowUp | None = None
    # The sheet's one-time key: the same sheet sent twice saves once.
    key: str = ""
    # A call from a number that is no lead: make the lead in the same sheet.
    create_lead: bool = False
    name: str = ""
    company: str = ""


def save_sheet(
    member: Membership, *, data: SheetData, actor: Actor, lead=None, call: Call | None = None
) -> tuple[Call, bool]:
    """Record the sheet for ``call``, or for ``lead`` (its synced call of the last two hours,
    else a call logged by hand). The views load both through visibility; ``call.lead`` counts
    only when ``call.lead_visible``. Returns (call, saved): a sheet already saved under its key
    is not saved again."""
    if data.key and (done := _saved_under(member, data.key)) is not None:
        return done, False
    try:
        return _save(member, data=data, actor=actor, lead=lead, call=call), True
    except IntegrityError:
        # The same sheet sent twice at once: the other request stored it.
        if data.key and (done := _saved_under(member, data.key)) is not None:
            return done, False
        raise


def _saved_under(member: Membership, key: str) -> Call | None:
    found = Call.objects.filter(organisation_id=member.organisation_id, outcome_key=key).first()
    if found is not None and found.disposed_by_id != member.user_id:
        # Someone else's sheet: neither theirs to see nor a resend of this one.
        raise Conflict(gettext("this key belongs to another sheet: send a new one"), field="key")
    return found


@transaction.atomic
def _save(member: Membership, *, data: SheetData, actor: Actor, lead, call: Call | None) -> Call:
    if data.outcome_id is None:
        raise ActionError(gettext("choose how the call went"), field="outcome_id")
    outcome = (
        Outcome.objects.filter(organisation_id=member.organisation_id, pk=data.outcome_id, is_active=True)
        .select_related("sets_status")
        .first()
    )
    if outcome is None:
        raise ActionError(gettext("no such outcome"), field="outcome_id", status_code=404)
    if outcome.asks_follow_up and data.follow_up is None:
        raise ActionError(
            gettext("“%(outcome)s” needs a next follow-up: choose when to call again")
            % {"outcome": outcome.name},
            field="follow_up.due_at",
        )
    if call is not None:
        lead = call.lead if call.lead_id and getattr(call, "lead_visible", False) else None
        if lead is None and call.lead_id is None and data.create_lead:
            owner_id = call.user_id if may_own_call_lead(call, member) else None
            lead, _created = create_lead_from_call(
                call, name=data.name, company=data.company, owner_id=owner_id, actor=actor, by=member
            )
            call.lead = lead
        if data.follow_up is not None and lead is None:
            raise ActionError(
                gettext("a next follow-up needs a lead: create the lead first"), field="follow_up.due_at"
            )
        record_outcome(call, outcome_id=outcome.pk, note=data.note, actor=actor, by=member)
    else:
        call = _call_of_lead(member, lead)
        if call is not None:
            record_outcome(call, outcome_id=outcome.pk, note=data.note, actor=actor, by=member)
        else:
            call, _created = log_call(
                member,
                lead=lead,
                direction="out",
                connected=outcome.connected,
                outcome_id=outcome.pk,
                note=data.note,
                actor=actor,
            )
    if data.key:
        Call.objects.filter(pk=call.pk).update(outcome_key=data.key)
        call.outcome_key = data.key
    if lead is not None:
        if _moves_forward(lead, outcome.sets_status):
            change_status(lead, outcome.sets_status, actor=actor, by=member, lost_reason=outcome.name)
        if data.follow_up is not None:
            _replace_follow_up(lead, data.follow_up, outcome.name, actor=actor, by=member)
    return call


def _moves_forward(lead, status) -> bool:
    """An outcome moves a lead on, never back: "Interested" on a lead in Negotiation, or on one
    won, leaves it where it is. Lost, last in the pipeline, is reached from anywhere open."""
    if status is None or status.pk == lead.status_id:
        return False
    return lead.status.kind == StatusKind.OPEN and (status.position, status.pk) > (
        lead.status.position,
        lead.status.pk,
    )


def _call_of_lead(member: Membership, lead) -> Call | None:
    """The person's latest call with ``lead`` synced in the last two hours with no outcome yet.
    Never a missed one: the sheet is about the call that answered it."""
    since = timezone.now() - SYNCED_CALL_WINDOW
    return (
        Call.objects.filter(
            organisation_id=member.organisation_id,
            user_id=member.user_id,
            lead=lead,
            disposed_at__isnull=True,
            started_at__gte=since,
        )
        .exclude(status__in=UNANSWERED)
        .order_by("-started_at", "-id")
        .first()
    )


def _replace_follow_up(lead, follow_up: NextFollowUp, outcome_name: str, *, actor: Actor, by: Membership):
    """The new follow-up takes the place of the lead's open ones of its kind: each is done (the
    call just made was it), so the lead has one next step, not an old one beside the new."""
    for earlier in FollowUp.objects.open().filter(lead=lead, kind=follow_up.kind).select_related("lead"):
        complete_follow_up(earlier, outcome=outcome_name, actor=actor, by=by)
    return schedule_follow_up(
        lead,
        due_at=follow_up.due_at,
        kind=follow_up.kind,
        note=follow_up.note or outcome_name,
        actor=actor,
        by=by,
    )
