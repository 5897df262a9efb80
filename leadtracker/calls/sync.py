"""POST /api/v1/calls/sync, the server side of the sync protocol (../shared/docs/sync-protocol.md).

One batch is checked, cleaned row by row, cut to the shift window, matched to leads and
stored with one INSERT that skips what is already there, so a resent batch and four
phones sending it at once store each call once. Then the leads it touched, the
missed-call loop and the device's health follow, all in the same transaction.
"""

import datetime as dt
import logging
import re

from django.db import IntegrityError, OperationalError, connection, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from ninja.errors import ValidationError

from leadtracker.accounts.audit import Actor
from leadtracker.calls import batch_reads, callbacks
from leadtracker.calls.ingest import CleanCall, db_time, touch_leads, touch_leads_of
from leadtracker.calls.models import Call, CallStatus, CallType, CallVia, Device, Direction, UsageDay
from leadtracker.calls.sheet.twins import absorb_logged_twins
from leadtracker.calls.signals import calls_stored, line_numbers
from leadtracker.leads.actions.leads import LeadData, create_lead
from leadtracker.lib.bulk import one_of
from leadtracker.lib.errors import ActionError
from leadtracker.lib.phones import InvalidPhone, normalise, to_ascii_digits

logger = logging.getLogger(__name__)

MAX_CALLS = 500
FIELDS = (
    "device_call_id",
    "number",
    "country_iso",
    "type",
    "started_at",
    "duration_s",
    "sim",
    "contact_name",
)
REQUIRED = ("number", "type", "started_at", "duration_s")
TYPES = frozenset(CallType.values)
# Accepted ahead of the server's clock: phones' clocks drift (the punch rule uses the same).
FUTURE_SLACK = dt.timedelta(minutes=5)
LONGEST_CALL_S = 24 * 3600
RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d{1,9})?([Zz]|[+-]\d{2}:\d{2})$")
# What Android and Termux put in the number column when there is none to show.
WITHHELD = frozenset(
    {"", "-1", "-2", "-3", "-4", "unknown", "unknown_caller", "private", "withheld", "anonymous"}
)


class RowError(ValueError):
    """A row the protocol refuses: the field at fault, a stable ``code`` for a program (the device
    agent keeps a row refused as ``in_the_future`` and offers it again later; docs/sync-protocol.md
    lists them), and the reason as what to say (a msgid marked with gettext_noop, and its values).

    The answer gives the reason twice: ``error`` in English, as every release has sent it — an
    agent older than the code reads the word "future" in it to keep a row for later, so a Hindi
    ``error`` would make such an agent drop a row it should offer again — and ``message`` in the
    device's person's language, for people."""

    def __init__(self, field: str, code: str, msgid: str, **values):
        super().__init__(msgid)
        self.field, self.code, self.msgid, self.values = field, code, msgid, values

    def words(self) -> str:
        reason = _(self.msgid) % self.values if self.values else _(self.msgid)
        if self.field:
            return _("%(field)s: %(reason)s") % {"field": self.field, "reason": reason}
        return reason

    def rejection(self, index: int) -> dict:
        with translation.override("en"):
            english = self.words()
        return {
            "index": index,
            "error": english,
            "message": self.words(),
            "code": self.code,
            "field": self.field,
        }


def derive_status(call_type: str, duration_s: int) -> str:
    """Sync protocol, Status. Silent in the protocol: an incoming call of 0 seconds was picked
    up and dropped at once (or never connected) — no conversation, so it counts as missed."""
    if call_type == CallType.INCOMING:
        return CallStatus.ANSWERED if duration_s > 0 else CallStatus.MISSED
    if call_type == CallType.OUTGOING:
        return CallStatus.CONNECTED if duration_s > 0 else CallStatus.NOT_CONNECTED
    if call_type == CallType.ANSWERED_EXTERNALLY:
        return CallStatus.ANSWERED_ELSEWHERE
    return call_type  # missed, rejected, blocked, voicemail: as sent


def check_shape(body) -> list:
    """The whole request: an object with ``calls``, a list of at most 500 objects, and no field
    the protocol does not name anywhere — else 422 naming it (no SMS, no audio, ever)."""

    def fail(loc, msg, kind="invalid"):
        raise ValidationError([{"loc": ("body", *loc), "msg": msg, "type": kind}])

    if not isinstance(body, dict):
        fail((), _("send a JSON object with a `calls` list"))
    for key in body:
        if key != "calls":
            fail((key,), _("unknown field; it is not accepted"), "extra_forbidden")
    calls = body.get("calls")
    if not isinstance(calls, list):
        fail(("calls",), _("required: a list of calls"))
    if len(calls) > MAX_CALLS:
        fail(
            ("calls",),
            _("at most %(most)s calls a request, got %(got)s") % {"most": MAX_CALLS, "got": len(calls)},
        )
    for i, row in enumerate(calls):
        if isinstance(row, dict):
            for key in row:
                if key not in FIELDS:
                    fail(("calls", i, key), _("unknown field; it is not accepted"), "extra_forbidden")
    return calls


def _text(row, name, limit, *, required=False) -> str:
    value = row.get(name)
    if value is None:
        if required:
            raise RowError(name, "required", gettext_noop("required"))
        return ""
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise RowError(name, "not_text", gettext_noop("must be a string"))
    value = str(value).strip()
    if len(value) > limit:
        raise RowError(name, "too_long", gettext_noop("longer than %(limit)s characters"), limit=limit)
    return value


def parse_time(value) -> dt.datetime:
    if not isinstance(value, str) or not RFC3339.match(value):
        raise RowError("started_at", "not_a_time", gettext_noop("not a valid RFC 3339 time"))
    try:
        moment = dt.datetime.fromisoformat(value.upper().replace(" ", "T"))
        # The call's identity is to the second (sync protocol: Idempotent).
        moment = moment.astimezone(dt.UTC).replace(microsecond=0)
    except (ValueError, OverflowError):  # OverflowError: year 1 or 9999 moved by its offset
        raise RowError("started_at", "not_a_time", gettext_noop("not a valid RFC 3339 time")) from None
    if moment.year < 2000:
        raise RowError(
            "started_at", "in_the_past", gettext_noop("before the year 2000 (check the phone's clock)")
        )
    return moment


def clean_row(index: int, row, *, region: str, now: dt.datetime, cache: dict) -> CleanCall:
    if not isinstance(row, dict):
        raise RowError("", "not_an_object", gettext_noop("not an object"))
    for name in REQUIRED:
        if name not in row:
            raise RowError(name, "required", gettext_noop("required"))
    call_type = row.get("type")
    if not isinstance(call_type, str) or call_type not in TYPES:
        known = ", ".join(CallType.values)
        raise RowError("type", "not_a_type", gettext_noop("must be one of %(known)s"), known=known)
    started_at = parse_time(row.get("started_at"))
    if started_at > now + FUTURE_SLACK:
        # The English error says "future": an agent older than the code reads that word.
        raise RowError("started_at", "in_the_future", gettext_noop("in the future (check the phone's clock)"))
    duration = row.get("duration_s")
    if isinstance(duration, bool) or not isinstance(duration, int) or duration < 0:
        reason = gettext_noop("must be a whole number of seconds, 0 or more")
        raise RowError("duration_s", "not_a_duration", reason)
    if duration > LONGEST_CALL_S:
        raise RowError("duration_s", "too_long", gettext_noop("longer than a day"))
    country = _text(row, "country_iso", 2).upper()
    if country and not (len(country) == 2 and country.isalpha() and country.isascii()):
        reason = gettext_noop("must be a two-letter country code such as IN")
        raise RowError("country_iso", "not_a_country", reason)
    raw = _text(row, "number", 64, required=True)
    number, valid = _number(raw, country or region, cache)
    return CleanCall(
        index=index,
        device_call_id=_text(row, "device_call_id", 64),
        number=number,
        valid=valid,
        country_iso=country,
        type=call_type,
        status=derive_status(call_type, duration),
        direction=Direction.OUT if call_type == CallType.OUTGOING else Direction.IN,
        started_at=started_at,
        duration_s=duration,
        sim=_text(row, "sim", 64),
        contact_name=_text(row, "contact_name", 200),
    )


def _number(raw: str, region: str, cache: dict) -> tuple[str, bool]:
    key = (raw, region)
    found = cache.get(key)
    if found is None:
        if raw.lower() in WITHHELD:
            found = ("", False)
        else:
            try:
                found = (normalise(raw, region), True)
            except InvalidPhone:
                # A short code or a malformed number: kept as digits, never matched to a lead.
                digits = "".join(ch for ch in to_ascii_digits(raw) if ch.isdigit() or ch == "+")
                if not digits or len(digits) > 32:
                    raise RowError(
                        "number", "not_a_phone_number", gettext_noop("not a phone number")
                    ) from None
                found = (digits, False)
        cache[key] = found
    return found


def in_shift(shifts: list[tuple[dt.datetime, dt.datetime | None]], moment: dt.datetime) -> bool:
    return any(start <= moment and (end is None or moment <= end) for start, end in shifts)


def sync(device: Device, body, *, actor: Actor, now: dt.datetime | None = None) -> dict:
    """Store one batch from ``device``; answer with the protocol's counts."""
    calls = check_shape(body)
    now = now or timezone.now()
    org = device.organisation
    rejected, good, cache = [], [], {}
    for i, row in enumerate(calls):
        try:
            good.append(clean_row(i, row, region=org.phone_region, now=now, cache=cache))
        except RowError as exc:
            rejected.append(exc.rejection(i))
    # Before the write transaction, which on SQLite holds the database's one write lock from
    # its first statement (BEGIN IMMEDIATE) until it commits: a read that finds which calls are
    # stored already (a resent batch: all of them), so they cost nothing inside. It only saves
    # work; the INSERT … ON CONFLICT DO NOTHING inside still decides what is new. So it is read
    # only for a batch that may hold calls sent before: one with a call no newer than the newest
    # this phone has sent. A phone sending its day as it goes sends newer calls each time, and
    # those batches (nearly all of a team's) skip its two statements.
    stored_before = _stored_already(device, org, good) if _may_repeat(device, good) else set()
    for attempt in range(3):
        try:
            with transaction.atomic():
                counts = _store(device, org, good, stored_before, actor=actor, now=now)
            break
        except (IntegrityError, OperationalError) as exc:
            if isinstance(exc, OperationalError) and "deadlock" not in str(exc).lower():
                raise
            # Another request stored a call-back for the same number between our read and our
            # write (the calls it stored are now duplicates for us), or two batches updating
            # the same leads deadlocked on PostgreSQL. Everything is re-read and redone.
            if attempt == 2:
                raise
    return {"received": len(calls), **counts, "rejected": rejected}


def _may_repeat(device: Device, rows: list[CleanCall]) -> bool:
    """Whether a row of the batch may be stored already: the device's newest call is kept in the
    transaction that stores calls, so a call after it was never stored from this phone. (From
    another phone of the same person it may have been: the INSERT still finds it.)"""
    newest = device.newest_call_at
    return bool(rows) and newest is not None and min(r.started_at for r in rows) <= newest


def _stored_already(device: Device, org, rows: list[CleanCall]) -> set[int]:
    """Indexes of the rows this device's person has stored already: by the phone's row id, or
    by number, start second and type (the two unique constraints the INSERT meets)."""
    if not rows:
        return set()
    ids = {r.device_call_id for r in rows if r.device_call_id}
    known_ids = set()
    if ids:
        known_ids = set(
            Call.objects.filter(organisation_id=org.pk, device_id=device.pk, device_call_id__in=sorted(ids))
            # Says what the unique index's condition says, so that SQLite reads it (a lookup per
            # id) instead of walking the device's calls, which grow all day.
            .exclude(device_call_id="")
            .values_list("device_call_id", flat=True)
        )
    known_keys = set(
        Call.objects.filter(
            organisation_id=org.pk,
            user_id=device.user_id,
            started_at__gte=min(r.started_at for r in rows),
            started_at__lte=max(r.started_at for r in rows),
            number__in=one_of({r.number for r in rows}),
        ).values_list("number", "started_at", "type")
    )
    return {
        r.index
        for r in rows
        if (r.device_call_id and r.device_call_id in known_ids)
        or (r.number, r.started_at, r.type) in known_keys
    }


def _store(
    device: Device, org, rows: list[CleanCall], stored_before: set[int], *, actor: Actor, now: dt.datetime
) -> dict:

    # Outside every shift of the device's person: counted, dropped, nothing of it kept. The
    # same statement finds the leads of the batch's numbers: of every row not stored before
    # (a resent batch matches nothing); those of rows dropped below go unused.
    kept, outside, leads, pushes = [], 0, {}, None
    if rows:
        first = min(r.started_at for r in rows)
        last = max(r.started_at for r in rows)
        numbers = {r.number for r in rows if r.valid and r.index not in stored_before}
        shifts, leads, pushes = batch_reads.shifts_and_leads(org.pk, device.user_id, first, last, numbers)
        for r in rows:
            if in_shift(shifts, r.started_at):
                kept.append(r)
            else:
                outside += 1
    # Duplicates inside the batch (a phone that read the same row twice).
    unique, seen_ids, seen_keys = [], set(), set()
    for r in kept:
        key = (r.number, r.started_at, r.type)
        if (r.device_call_id and r.device_call_id in seen_ids) or key in seen_keys:
            continue
        seen_keys.add(key)
        if r.device_call_id:
            seen_ids.add(r.device_call_id)
        unique.append(r)
    # Stored before this request began: duplicates, whatever else happens. Neither matched
    # nor sent to the INSERT (a resent batch of 500 costs the device's health update only).
    unique = [r for r in unique if r.index not in stored_before]
    # The company line ringing this phone (a click-to-call's first leg): its provider reports
    # the call, stored twice it would count twice. Counted with the duplicates.
    unique = _without_line_calls(org, unique)
    _match(org, unique, leads, device=device, actor=actor)
    stored = _insert(org, device, unique, now=now)
    duplicates = len(kept) - len(stored)
    if stored:
        # Calls the outcome sheet logged before the phone's rows arrived: counted once.
        twins = absorb_logged_twins(org, device.user_id, stored, actor=actor)
        if connection.vendor != "postgresql":  # there the INSERT did it (_insert)
            touch_leads(stored)
        moves: list = []  # the call-backs' changes, added to the roll-ups, not recounted
        returned = callbacks.on_calls_stored(org, stored, user_id=device.user_id, moves=moves)
        calls_stored.send(
            sender=Call,
            organisation=org,
            user_id=device.user_id,
            moments=[r.started_at for _, r in stored] + [t.started_at for t in twins],
            call_back_call_ids=returned,
            # The batch's own calls, for the roll-ups to add (reports/increments.py), and the
            # logged calls it absorbed, for them to take off.
            calls=stored,
            call_back_moves=moves,
            removed=twins,
            # Whether the person has a browser to push to, read with the shifts (tasks.py).
            pushes=pushes,
        )
    _keep_health(org, device, max((r.started_at for r in kept), default=None), now=now)
    return {"stored": len(stored), "duplicates": duplicates, "outside_shift": outside}


def _keep_health(org, device: Device, newest: dt.datetime | None, *, now: dt.datetime) -> None:
    """The device's health (last sync, the newest call it sent) and the organisation's counter of
    syncs (calls.actions.count_usage's row, unless usage data is off). PostgreSQL: one statement,
    the counter's upsert a WITH of the device's UPDATE; SQLite runs no write in a WITH: two."""
    ops = connection.ops
    # Table names from the models; every value is bound.
    device_sql = f"UPDATE {ops.quote_name(Device._meta.db_table)} SET last_sync_at = %s, last_seen_at = %s"  # noqa: S608
    params = [ops.adapt_datetimefield_value(now)] * 2
    if newest is not None:
        # Never moved back: an older batch arriving late leaves a newer time as it is.
        device_sql += (
            ", newest_call_at = CASE WHEN newest_call_at IS NULL OR newest_call_at < %s THEN %s "
            "ELSE newest_call_at END"
        )
        params += [ops.adapt_datetimefield_value(newest)] * 2
    device_sql += " WHERE id = %s"
    params.append(device.pk)
    statements = [(device_sql, params)]
    if org.usage_events:
        usage_table = ops.quote_name(UsageDay._meta.db_table)
        usage_sql = (
            f'INSERT INTO {usage_table} (organisation_id, day, event, app_version, os, "count") '  # noqa: S608
            "VALUES (%s, %s, %s, %s, %s, 1) ON CONFLICT (organisation_id, day, event, app_version, os) "
            f'DO UPDATE SET "count" = {usage_table}."count" + 1'
        )
        usage = [org.pk, ops.adapt_datefield_value(UsageDay.day_of()), "calls.sync"]
        usage += [device.app_version[:60], device.os_version[:60]]
        if connection.vendor == "postgresql":
            statements = [(f"WITH usage AS ({usage_sql}) {device_sql}", usage + params)]
        else:
            statements.insert(0, (usage_sql, usage))
    with connection.cursor() as cursor:
        for sql, args in statements:
            cursor.execute(sql, args)
    if newest is not None and (device.newest_call_at is None or device.newest_call_at < newest):
        device.newest_call_at = newest  # the object in step with its row, for a caller that keeps it


def _without_line_calls(org, rows: list[CleanCall]) -> list[CleanCall]:
    if not rows:
        return rows
    lines = {n for _, numbers in line_numbers.send(sender=Call, organisation=org) for n in numbers or ()}
    return [r for r in rows if r.number not in lines] if lines else rows


def _match(org, rows: list[CleanCall], leads: dict, *, device: Device, actor: Actor) -> None:
    """Link each call to the lead with its number (``leads``: {E.164: (lead id, owner id)}, read
    with the shifts); create leads for unknown numbers when the organisation asks for it (named
    from the phone's contact, owned by the device's person)."""
    numbers = {r.number for r in rows if r.valid}
    if not numbers:
        return
    found = {n: leads[n] for n in numbers if n in leads}
    if org.calls_create_leads:
        for number in sorted(numbers - found.keys()):
            name = next((r.contact_name for r in rows if r.number == number and r.contact_name), "")
            lead = _lead_for_unknown(org, number, name, device=device, actor=actor)
            if lead is not None:
                found[number] = (lead.pk, lead.owner_id)
    for r in rows:
        if r.valid and r.number in found:
            r.lead_id, r.owner_id = found[r.number]


def _lead_for_unknown(org, number: str, name: str, *, device: Device, actor: Actor):
    data = LeadData(name=name, phones=[number], owner_id=device.user_id)
    try:
        lead, _ = create_lead(org, data, actor=actor, by=None, on_duplicate="skip", auto_assign=False)
    except ActionError:
        # The organisation's settings cannot make a lead (no open status left, say): the call
        # is stored without one rather than the whole batch refused.
        logger.warning("could not create a lead for a synced call in organisation %s", org.pk)
        return None
    return lead


COLUMNS = [
    "organisation_id",
    "user_id",
    "device_id",
    "lead_id",
    "device_call_id",
    "number",
    "country_iso",
    "type",
    "status",
    "direction",
    "started_at",
    "duration_s",
    "sim",
    "via",
    "note",
    "received_at",
]


# Per-row columns, in COLUMNS order, with their PostgreSQL array types for unnest().
ROW_COLUMNS = [
    ("lead_id", "bigint"),
    ("device_call_id", "text"),
    ("number", "text"),
    ("country_iso", "text"),
    ("type", "text"),
    ("status", "text"),
    ("direction", "text"),
    ("started_at", "timestamptz"),
    ("duration_s", "integer"),
    ("sim", "text"),
]
ROW_NAMES = ", ".join(name for name, _ in ROW_COLUMNS)
RETURNING = ' ON CONFLICT DO NOTHING RETURNING "id", "device_call_id", "number", "type", "started_at"'


def _insert(org, device: Device, rows: list[CleanCall], *, now: dt.datetime) -> list[tuple[int, CleanCall]]:
    """One INSERT … ON CONFLICT DO NOTHING RETURNING for the batch: what comes back is what
    was new; the rest were stored before (by this phone, or by a concurrent resend)."""
    if not rows:
        return []
    adapt = db_time()
    by_id = {r.device_call_id: r for r in rows if r.device_call_id}
    by_key = {(r.number, r.type, adapt(r.started_at)): r for r in rows}
    table = connection.ops.quote_name(Call._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(c) for c in COLUMNS)
    fixed = [org.pk, device.user_id, device.pk, CallVia.DEVICE, "", adapt(now)]
    values = [
        (
            r.lead_id,
            r.device_call_id,
            r.number,
            r.country_iso,
            r.type,
            r.status,
            r.direction,
            adapt(r.started_at),
            r.duration_s,
            r.sim,
        )
        for r in rows
    ]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # One array per column instead of 8,000 placeholders: the driver spends ~30 ms
            # splitting a statement that long, and PostgreSQL parses it once either way.
            arrays = ", ".join(f"%s::{kind}[]" for _, kind in ROW_COLUMNS)
            # Column names and types come from ROW_COLUMNS; every value is bound.
            select = f"SELECT %s, %s, %s, {ROW_NAMES}, %s, %s, %s FROM unnest({arrays}) AS u({ROW_NAMES})"  # noqa: S608
            params = fixed + [list(col) for col in zip(*values, strict=True)]
            # The leads' last contacted time moved in the same statement (ingest.touch_leads_of).
            cursor.execute(
                f"WITH ins AS (INSERT INTO {table} ({columns}) {select}{RETURNING}, lead_id), "  # noqa: S608
                f"touched AS ({touch_leads_of('ins')}) "
                'SELECT "id", "device_call_id", "number", "type", "started_at" FROM ins',
                params,
            )
        else:
            placeholder = "(" + ", ".join(["%s"] * len(COLUMNS)) + ")"
            params = [p for v in values for p in (*fixed[:3], *v, *fixed[3:])]
            cursor.execute(
                f"INSERT INTO {table} ({columns}) VALUES {', '.join([placeholder] * len(values))}{RETURNING}",  # noqa: S608
                params,
            )
        stored = []
        for pk, call_id, number, call_type, started in cursor.fetchall():
            row = by_id.get(call_id) if call_id else None
            if row is None:
                row = by_key[(number, call_type, adapt(batch_reads.as_utc(started)))]
            stored.append((pk, row))
    return stored
