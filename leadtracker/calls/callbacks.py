"""Call-backs, the missed-call loop: someone who called and was not answered waits in "missed calls to
return" until someone talks with that number, either way; the wait is measured. The caller
may be a lead or a number that is no lead (yet): a call from an unknown number is as likely
a new customer as any, so it is returned whether or not the organisation makes leads of
unknown numbers. Withheld numbers and service codes cannot be called back: they open none.

Calls arrive late and out of order (a phone syncs hours after, a second phone syncs
before the first), so each batch is replayed in time order together with what is already
stored: a missed call that arrives after the call that returned it is opened and closed
at once, with the right wait.
"""

import datetime as dt
import hashlib
from typing import Protocol

from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext_lazy

from leadtracker.accounts.models import Notification
from leadtracker.accounts.notifications import later, notify_many
from leadtracker.calls import batch_reads
from leadtracker.calls.models import TALKED, UNANSWERED, CallBack
from leadtracker.lib.bulk import insert_rows


class StoredCall(Protocol):
    number: str
    valid: bool
    status: str
    started_at: dt.datetime
    lead_id: int | None
    owner_id: int | None


NEW_COLUMNS = [
    "organisation_id",
    "lead_id",
    "assignee_id",
    "number",
    "missed_call_id",
    "missed_at",
    "last_missed_at",
    "missed_count",
    "closed_at",
    "closing_call_id",
    "seconds_to_return",
    "created_at",
]


def _lock_numbers(org_id: int, numbers) -> None:
    """Serialise the loop per number on PostgreSQL until the transaction ends. Without it, a
    phone storing a lead's missed call and another storing the call that returned it, at the
    same moment, each miss the other's uncommitted row and the call-back stays open for good.
    Locks are taken in sorted order so two batches never wait on each other in a circle.
    (SQLite runs one writing transaction at a time already.)"""
    if connection.vendor != "postgresql":
        return
    keys = sorted(
        int.from_bytes(hashlib.sha256(f"callback:{org_id}:{n}".encode()).digest()[:8], "big", signed=True)
        for n in numbers
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(pg_advisory_xact_lock(k)) FROM unnest(%s::bigint[]) AS k", [keys])


# The columns the loop changes on a call-back, with their PostgreSQL types.
CHANGED_COLUMNS = [
    ("missed_call_id", "bigint"),
    ("missed_at", "timestamptz"),
    ("missed_count", "integer"),
    ("last_missed_at", "timestamptz"),
    ("closed_at", "timestamptz"),
    ("closing_call_id", "bigint"),
    ("seconds_to_return", "integer"),
]


def _update(call_backs: list[CallBack]) -> None:
    """One UPDATE … FROM a VALUES list for the call-backs the batch changed. It runs inside the
    sync's write transaction (on SQLite, the database's one write lock): bulk_update's CASE WHEN
    per column and row cost ~0.3 ms a call-back to compile, 100 ms and more for a batch that
    closes a few hundred, all of it while every other writer waited."""
    table = connection.ops.quote_name(CallBack._meta.db_table)
    pg = connection.vendor == "postgresql"
    names = ["id", *(name for name, _ in CHANGED_COLUMNS)]
    casts = ["bigint", *(kind for _, kind in CHANGED_COLUMNS)]
    row = "(" + ", ".join(f"%s::{kind}" if pg else "%s" for kind in casts) + ")"
    adapt = connection.ops.adapt_datetimefield_value
    params = []
    for cb in call_backs:
        params += [
            cb.pk,
            cb.missed_call_id,
            adapt(cb.missed_at),
            cb.missed_count,
            adapt(cb.last_missed_at),
            adapt(cb.closed_at),
            cb.closing_call_id,
            cb.seconds_to_return,
        ]
    assignments = ", ".join(f"{connection.ops.quote_name(n)} = v.{n}" for n in names[1:])
    with connection.cursor() as cursor:
        cursor.execute(
            f"WITH v({', '.join(names)}) AS (VALUES {', '.join([row] * len(call_backs))}) "  # noqa: S608
            f"UPDATE {table} SET {assignments} FROM v WHERE {table}.id = v.id",
            params,
        )


def _call_back(org, call: StoredCall, call_id: int, moment: dt.datetime, user_id: int) -> CallBack:
    return CallBack(
        organisation_id=org.pk,
        lead_id=call.lead_id,
        # The lead's owner returns it; a lead nobody owns, or a number that is no lead, goes
        # to whoever's phone rang.
        assignee_id=call.owner_id or user_id,
        number=call.number,
        missed_call_id=call_id,
        missed_at=moment,
        last_missed_at=moment,
    )


def _close(cb: CallBack, moment: dt.datetime, call_id: int) -> None:
    cb.closed_at = moment
    cb.closing_call_id = call_id
    cb.seconds_to_return = int((moment - cb.missed_at).total_seconds())


def _timeline(org, stored: list[tuple[int, StoredCall]], missed, talked) -> list[tuple]:
    """The batch's misses and talks in time order, with the talks already stored that may
    return one of its misses: calls arrive late and out of order, so a miss is judged against
    every talk after it, not only those of its own batch.
    Each event: (time, order, call id, number, call or None); missed before talked within one
    second."""
    events = [(c.started_at, 0, pk, c.number, c) for pk, c in missed]
    events += [(c.started_at, 1, pk, c.number, None) for pk, c in talked]
    if missed:
        ids = {pk for pk, _ in stored}
        earlier = min(c.started_at for _, c in missed)
        for pk, number, started_at in batch_reads.talks_since(org.pk, {c.number for _, c in missed}, earlier):
            if pk not in ids:
                events.append((started_at, 1, pk, number, None))
    events.sort(key=lambda e: (e[0], e[1], e[2]))
    return events


def _replay(org, events: list[tuple], open_now: dict, user_id: int) -> tuple[list[CallBack], dict]:
    """Walk the timeline over the open call-backs (``open_now``, by number, changed in place):
    a miss opens one or counts on the open one, a talk closes it. Returns (the call-backs to
    insert, the stored ones changed by id); nothing is written here."""
    new, changed = [], {}
    for moment, order, pk, number, call in events:
        cb = open_now.get(number)
        if order == 0:
            if cb is None:
                cb = _call_back(org, call, pk, moment, user_id)
                open_now[number] = cb
                new.append(cb)
            elif cb.missed_at > moment:
                # An earlier miss arriving late (another phone synced after). If someone talked
                # with the number between the two, this miss was returned then: its own, closed
                # call-back. If not, the lead has been waiting since this earlier miss.
                returned = next(
                    (e for e in events if e[1] == 1 and e[3] == number and moment <= e[0] <= cb.missed_at),
                    None,
                )
                if returned is not None:
                    early = _call_back(org, call, pk, moment, user_id)
                    _close(early, returned[0], returned[2])
                    new.append(early)
                else:
                    cb.missed_at, cb.missed_call_id = moment, pk
                    cb.missed_count += 1
                    if cb.pk:
                        changed[cb.pk] = cb
            else:
                cb.missed_count += 1
                cb.last_missed_at = max(cb.last_missed_at, moment)
                if cb.pk:
                    changed[cb.pk] = cb
        elif cb is not None and cb.missed_at <= moment:
            _close(cb, moment, pk)
            del open_now[number]
            if cb.pk:
                changed[cb.pk] = cb
    return new, changed


def _save(new: list[CallBack], changed: dict) -> None:
    # Closed ones first: a number may have one closed and one newly open call-back, and the
    # open one must not meet the old one, still open in the table, on the unique constraint.
    if changed:
        _update(list(changed.values()))
    if new:
        # Plain rows (COPY on PostgreSQL): bulk_create costs ~0.5 ms a row in Django itself.
        now = timezone.now()
        insert_rows(
            CallBack, NEW_COLUMNS, [tuple(getattr(cb, c) for c in NEW_COLUMNS[:-1]) + (now,) for cb in new]
        )
        # The bell, and the phone (Web Push), of whoever is to return each missed call still open;
        # not for old ones a phone's first sync brings in (they wait in the list all the same).
        notify_many(
            new[0].organisation_id,
            [
                {
                    "user_id": cb.assignee_id,
                    "text": later(gettext_lazy("Missed call from %(number)s: call back"), number=cb.number),
                    "url": "/queue/",
                    "kind": "missed_call",
                    "lead_id": cb.lead_id,
                }
                for cb in new
                if cb.closed_at is None and cb.assignee_id and now - cb.missed_at < dt.timedelta(hours=2)
            ],
        )


def on_calls_stored(
    org, stored: list[tuple[int, StoredCall]], *, user_id: int, moves: list | None = None
) -> set[int]:
    """``stored``: (call id, call) of the calls just written by ``user_id``'s phone or hand.
    Returns the ids of the missed calls whose call-back opened, closed or moved (before and
    after), for the roll-ups. ``moves``, when given a list: each change is appended to it as
    (missed call id, returned ±1, waiting ±1, seconds to return or None), for a caller that adds
    the figures to the missed calls' days instead of recounting them (reports/increments.py)."""
    missed = [(pk, c) for pk, c in stored if c.valid and c.status in UNANSWERED]
    talked = [(pk, c) for pk, c in stored if c.valid and c.status in TALKED]
    numbers = {c.number for _, c in missed} | {c.number for _, c in talked}
    if not numbers:
        return set()
    _lock_numbers(org.pk, numbers)
    open_now = {cb.number: cb for cb in batch_reads.open_call_backs(org.pk, numbers)}
    if not missed and not open_now:
        return set()  # the common case: calls that return nobody
    # Before the replay moves them: a call-back's old missed call needs its roll-up redone too.
    measured_from = {cb.pk: cb.missed_call_id for cb in open_now.values()}
    events = _timeline(org, stored, missed, talked)
    new, changed = _replay(org, events, open_now, user_id)
    _save(new, changed)
    if moves is not None:
        moves.extend((measured_from[pk], 0, -1, None) for pk in changed)  # each was open before
        for cb in [*new, *changed.values()]:
            if cb.closed_at is None:
                moves.append((cb.missed_call_id, 0, 1, None))
            else:
                moves.append((cb.missed_call_id, 1, 0, cb.seconds_to_return or 0))
    return (
        {cb.missed_call_id for cb in new}
        | {cb.missed_call_id for cb in changed.values()}
        | {measured_from[pk] for pk in changed}
    )


# A missed call still waiting this long reminds whoever is to return it, once; older than
# NOT_AFTER it is left to the list (a phone's catch-up sync of old calls reminds nobody).
WAITING_TOO_LONG = dt.timedelta(minutes=30)
NOT_AFTER = dt.timedelta(hours=2)


def remind_waiting(now: dt.datetime | None = None) -> int:
    """Reminds (the bell, Web Push kind call_back) of each call-back waiting over 30 minutes;
    the reminder's link names the call-back, so a later run does not repeat it."""
    now = now or timezone.now()
    waiting = list(
        CallBack.objects.filter(
            closed_at__isnull=True,
            assignee__isnull=False,
            missed_at__lte=now - WAITING_TOO_LONG,
            missed_at__gt=now - NOT_AFTER,
        ).order_by("organisation_id", "pk")[:1000]
    )
    if not waiting:
        return 0
    url = {cb.pk: f"/queue/#call-back-{cb.pk}" for cb in waiting}
    told = set(
        Notification.objects.filter(
            organisation_id__in={cb.organisation_id for cb in waiting},
            user_id__in={cb.assignee_id for cb in waiting},
            url__in=url.values(),
        ).values_list("url", flat=True)
    )
    by_org: dict[int, list[dict]] = {}
    for cb in waiting:
        if url[cb.pk] not in told:
            by_org.setdefault(cb.organisation_id, []).append(
                {
                    "user_id": cb.assignee_id,
                    "text": later(
                        gettext_lazy("Missed call from %(number)s waiting over 30 minutes: call back"),
                        number=cb.number,
                    ),
                    "url": url[cb.pk],
                    "kind": "call_back",
                    "lead_id": cb.lead_id,
                }
            )
    for org_id, items in by_org.items():
        notify_many(org_id, items)
    return sum(len(items) for items in by_org.values())
