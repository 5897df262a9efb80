"""Follow-ups: scheduled on a lead, done, moved or cancelled; the lead's next follow-up kept in step."""

import datetime as dt

from django.db import transaction
from django.db.models import Min
from django.utils import timezone
from django.utils.translation import gettext as _

from leadtracker.accounts.audit import Actor, record
from leadtracker.accounts.idempotency import made_marks, made_now
from leadtracker.accounts.models import Membership
from leadtracker.leads.actions.permissions import _check_can_edit, check_owner
from leadtracker.leads.models import Activity, ActivityKind, FollowUp, FollowUpKind, Lead
from leadtracker.leads.selectors import leads_for
from leadtracker.lib.errors import ActionError, Conflict
from leadtracker.lib.timeutil import YEAR, check_within


def _refresh_next_follow_up(lead: Lead) -> None:
    nxt = FollowUp.objects.filter(lead=lead).open().aggregate(m=Min("due_at"))["m"]
    Lead.objects.filter(pk=lead.pk).update(next_follow_up_at=nxt)
    lead.next_follow_up_at = nxt


@transaction.atomic
def schedule_follow_up(
    lead: Lead,
    *,
    due_at: dt.datetime,
    kind: str = FollowUpKind.CALL,
    assignee_id: int | None = None,
    note: str = "",
    remind_minutes_before: int = 15,
    actor: Actor,
    by: Membership | None,
) -> FollowUp:
    _check_can_edit(lead, by)
    Lead.objects.select_for_update().filter(pk=lead.pk).first()  # one writer of next_follow_up_at
    _check_kind(kind)
    _check_due_at(due_at)
    _check_remind_minutes(remind_minutes_before)
    assignee_id = assignee_id or lead.owner_id or (by.user_id if by else None)
    if assignee_id not in ((by.user_id if by else None), lead.owner_id):
        check_owner(by, assignee_id, lead.organisation_id, field="assignee_id")
        _check_assignee_sees(lead, assignee_id)
    fu = FollowUp.objects.create(
        organisation_id=lead.organisation_id,
        lead=lead,
        assignee_id=assignee_id,
        kind=kind,
        due_at=due_at,
        note=(note or "").strip(),
        remind_minutes_before=remind_minutes_before,
        created_by=actor.user,
    )
    Activity.objects.create(
        organisation_id=lead.organisation_id,
        lead=lead,
        kind=ActivityKind.FOLLOW_UP,
        actor=actor.user,
        follow_up=fu,
        body=fu.note,
        at=made_now(),
        data={"kind": kind, "due_at": due_at.isoformat(), **made_marks()},
    )
    _refresh_next_follow_up(lead)
    record("lead.follow_up", organisation=lead.organisation, actor=actor, obj=lead, changes={"kind": kind})
    return fu


@transaction.atomic
def complete_follow_up(fu: FollowUp, *, outcome: str = "", actor: Actor, by: Membership | None) -> FollowUp:
    _check_can_edit(fu.lead, by)
    Lead.objects.select_for_update().filter(pk=fu.lead_id).first()
    done_at, outcome = made_now(), (outcome or "").strip()[:200]
    # Conditional, so two taps on "Done" complete it once.
    if not FollowUp.objects.open().filter(pk=fu.pk).update(done_at=done_at, outcome=outcome):
        _refuse_closed(fu)
    fu.done_at, fu.outcome = done_at, outcome
    Activity.objects.create(
        organisation_id=fu.organisation_id,
        lead=fu.lead,
        kind=ActivityKind.FOLLOW_UP_DONE,
        actor=actor.user,
        follow_up=fu,
        body=fu.outcome,
        at=done_at,
        data={"kind": fu.kind, **made_marks()},
    )
    _refresh_next_follow_up(fu.lead)
    Lead.objects.filter(pk=fu.lead_id).update(last_contacted_at=fu.done_at, updated_at=fu.done_at)
    record("lead.follow_up_done", organisation=fu.lead.organisation, actor=actor, obj=fu.lead)
    return fu


def _check_kind(kind: str) -> None:
    if kind not in FollowUpKind.values:
        raise ActionError(_("must be one of %s") % ", ".join(FollowUpKind.values), field="kind")


# A follow-up is planned within five years, and one may be noted up to a year late. Beyond that
# it is a typo (a wrong year), and a time near 9999 cannot even be shown in the organisation's zone.
FOLLOW_UP_PAST = YEAR


FOLLOW_UP_FUTURE = 5 * YEAR


def _check_due_at(due_at, *, was=None) -> None:
    """``was``: the follow-up's time before a change; keeping it (an edit of the note of a
    follow-up overdue for over a year) is no new time to check."""
    if due_at is None or timezone.is_naive(due_at):
        raise ActionError(_("give a date and time with a time zone"), field="due_at")
    if due_at != was:
        check_within(due_at, "due_at", past=FOLLOW_UP_PAST, future=FOLLOW_UP_FUTURE)


def _check_remind_minutes(minutes) -> None:
    if minutes is None or not 0 <= minutes <= 7 * 24 * 60:
        raise ActionError(_("between 0 and 10080 minutes"), field="remind_minutes_before")


def _refuse_closed(fu: FollowUp) -> None:
    """Raise the 409 for a follow-up that is no longer open, saying how it ended."""
    state = FollowUp.objects.get(pk=fu.pk).state
    raise Conflict(_("this follow-up is already %s; plan a new one") % state, field="follow_up")


FOLLOW_UP_EDITABLE = ("due_at", "kind", "note", "assignee_id", "remind_minutes_before")


@transaction.atomic
def update_follow_up(fu: FollowUp, *, actor: Actor, by: Membership | None, **fields) -> FollowUp:
    """Change an open follow-up: when, what, who, the note, the reminder. A done or cancelled
    one is history and stays as it was (409)."""
    lead = fu.lead
    _check_can_edit(lead, by)
    Lead.objects.select_for_update().filter(pk=lead.pk).first()  # one writer of next_follow_up_at
    fu = FollowUp.objects.select_for_update().get(pk=fu.pk)
    if fu.state != "open":
        _refuse_closed(fu)
    unknown = set(fields) - set(FOLLOW_UP_EDITABLE)
    if unknown:
        raise ActionError(_("this field cannot be changed here"), field=sorted(unknown)[0])
    if "kind" in fields:
        _check_kind(fields["kind"])
    if "due_at" in fields:
        _check_due_at(fields["due_at"], was=fu.due_at)
    if "remind_minutes_before" in fields:
        _check_remind_minutes(fields["remind_minutes_before"])
    if "note" in fields:
        if fields["note"] is None:
            raise ActionError(_("may not be empty (send an empty string to clear it)"), field="note")
        fields["note"] = fields["note"].strip()
        if len(fields["note"]) > 2000:
            raise ActionError(_("at most 2,000 characters"), field="note")
    if "assignee_id" in fields:
        if fields["assignee_id"] is None:
            raise ActionError(_("a follow-up needs someone to do it"), field="assignee_id")
        if fields["assignee_id"] != fu.assignee_id:
            check_owner(by, fields["assignee_id"], lead.organisation_id, field="assignee_id")
            _check_assignee_sees(lead, fields["assignee_id"])
    changed = [k for k, v in fields.items() if getattr(fu, k) != v]
    if not changed:
        return fu
    old_remind_at, old_assignee = fu.remind_at, fu.assignee_id
    for key in changed:
        setattr(fu, key, fields[key])
    fu.save()  # recomputes remind_at
    if fu.remind_at != old_remind_at or fu.assignee_id != old_assignee:
        # The reminder belongs to a person and a moment; change either and it is owed again
        # (an agent who moved a call to tomorrow wants tomorrow's reminder too).
        FollowUp.objects.filter(pk=fu.pk).update(reminder_sent_at=None)
        fu.reminder_sent_at = None
    Activity.objects.create(
        organisation_id=lead.organisation_id,
        lead=lead,
        kind=ActivityKind.FOLLOW_UP_CHANGED,
        actor=actor.user,
        follow_up=fu,
        body=fu.note,
        data={"kind": fu.kind, "due_at": fu.due_at.isoformat(), "fields": changed},
    )
    _refresh_next_follow_up(lead)
    record(
        "lead.follow_up_update",
        organisation=lead.organisation,
        actor=actor,
        obj=lead,
        changes={"follow_up": fu.pk, "fields": changed},
    )
    return fu


def _check_assignee_sees(lead: Lead, user_id: int) -> None:
    """A follow-up is done by someone who can open its lead: the agenda shows only such
    follow-ups, so one given to anyone else would silently never be seen."""
    member = Membership.objects.get(organisation_id=lead.organisation_id, user_id=user_id, is_active=True)
    if not leads_for(member).filter(pk=lead.pk).exists():
        raise ActionError(
            _("that person cannot open this lead; assign the lead to them first"), field="assignee_id"
        )


@transaction.atomic
def cancel_follow_up(fu: FollowUp, *, reason: str = "", actor: Actor, by: Membership | None) -> FollowUp:
    """Call off a follow-up that will not happen. It is kept, marked with who and when (see
    FollowUp), and leaves the agenda, the reminders and the lead's next follow-up."""
    _check_can_edit(fu.lead, by)
    Lead.objects.select_for_update().filter(pk=fu.lead_id).first()
    now, reason = timezone.now(), (reason or "").strip()[:200]
    # Conditional, like "Done": a follow-up is closed once, by whichever came first.
    if (
        not FollowUp.objects.open()
        .filter(pk=fu.pk)
        .update(cancelled_at=now, cancelled_by=actor.user, outcome=reason)
    ):
        _refuse_closed(fu)
    fu.refresh_from_db()
    Activity.objects.create(
        organisation_id=fu.organisation_id,
        lead=fu.lead,
        kind=ActivityKind.FOLLOW_UP_CANCELLED,
        actor=actor.user,
        follow_up=fu,
        body=reason,
        data={"kind": fu.kind, "due_at": fu.due_at.isoformat()},
    )
    _refresh_next_follow_up(fu.lead)
    record(
        "lead.follow_up_cancel",
        organisation=fu.lead.organisation,
        actor=actor,
        obj=fu.lead,
        changes={"follow_up": fu.pk},
    )
    return fu
