"""A call the outcome sheet logged, and the same call synced by the phone later.

From the queue an agent taps Call, talks, and saves the sheet before their phone has synced the
call: the sheet then logs the call itself (via=manual). When the phone's row arrives, it is the
same call: the phone's row (exact start and duration) takes the sheet's outcome, note and key,
and the logged one goes, so the call is counted once. A logged call is taken as the twin of a
phone's outgoing call to the same number by the same person when the sheet was saved during
the call or within SYNCED_CALL_WINDOW after it ended."""

import datetime as dt

from leadtracker.accounts.audit import Actor, record
from leadtracker.calls import batch_reads
from leadtracker.calls.models import UNANSWERED, Call, CallBack, CallVia, Direction
from leadtracker.calls.sheet.actions import SYNCED_CALL_WINDOW


def absorb_logged_twins(org, user_id: int, stored: list, *, actor: Actor) -> list:
    """``stored``: the phone's calls just inserted, as (call id, CleanCall). Returns the logged
    calls removed (deleted; the roll-ups take them off their person-days)."""
    outgoing = [
        (pk, c)
        for pk, c in stored
        if c.direction == Direction.OUT and c.lead_id and c.status not in UNANSWERED
    ]
    if not outgoing:
        return []
    first = min(c.started_at for _, c in outgoing)
    last = max(c.started_at + _after(c) for _, c in outgoing)
    # A statement written once, not a queryset built on every batch (nearly every one finds none).
    logged = batch_reads.logged_calls(
        org.pk, user_id, CallVia.MANUAL, Direction.OUT, {c.number for _, c in outgoing}, first, last
    )
    removed = []
    for pk, c in sorted(outgoing, key=lambda pair: pair[1].started_at):
        twin = next(
            (
                t
                for t in logged
                if t.number == c.number and c.started_at <= t.started_at <= c.started_at + _after(c)
            ),
            None,
        )
        if twin is None:
            continue
        logged.remove(twin)
        _move(twin, pk)
        removed.append(twin)
        record(
            "call.logged_twin",
            organisation=org,
            actor=actor,
            object_type="call",
            object_id=str(pk),
            changes={"logged_call": twin.pk},
        )
    return removed


def _after(c) -> dt.timedelta:
    return dt.timedelta(seconds=c.duration_s) + SYNCED_CALL_WINDOW


def _move(twin: Call, pk: int) -> None:
    CallBack.objects.filter(closing_call_id=twin.pk).update(closing_call_id=pk)
    twin.delete()  # first: its key is unique and goes to the phone's row
    Call.objects.filter(pk=pk).update(
        outcome_id=twin.outcome_id,
        note=twin.note,
        disposed_at=twin.disposed_at,
        disposed_by_id=twin.disposed_by_id,
        outcome_key=twin.outcome_key,
    )
