"""Pairing phones, their state and revoking them; recording outcomes, manual calls, the
organisation's outcomes, usage."""

import dataclasses
import datetime as dt
import secrets

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.translation import gettext

from leadtracker.accounts.actions import create_api_token, revoke_api_token
from leadtracker.accounts.audit import Actor, record
from leadtracker.accounts.idempotency import made_now
from leadtracker.accounts.models import ActorKind, Membership, Organisation, Role, TokenKind, hash_secret
from leadtracker.calls import callbacks
from leadtracker.calls.ingest import CleanCall, touch_leads
from leadtracker.calls.models import (
    Call,
    CallBack,
    CallStatus,
    CallType,
    CallVia,
    Device,
    Outcome,
    PairingCode,
    Permission,
    UsageDay,
)
from leadtracker.calls.signals import call_outcome_recorded, calls_linked, calls_stored
from leadtracker.leads.actions.follow_ups import FOLLOW_UP_FUTURE, FOLLOW_UP_PAST, schedule_follow_up
from leadtracker.leads.actions.leads import DuplicateLead, LeadData, create_lead
from leadtracker.leads.actions.permissions import check_owner
from leadtracker.leads.models import Lead, LeadPhone, LeadStatus
from leadtracker.leads.selectors import can_assign_to
from leadtracker.lib.errors import ActionError
from leadtracker.lib.phones import InvalidPhone, normalise
from leadtracker.lib.timeutil import ANY_PAST, check_within

UNCHANGED = object()  # an argument not given: the field keeps its value
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud or typed on a phone
CODE_LIFETIME = dt.timedelta(minutes=15)


def normalise_code(code: str) -> str:
    return "".join(ch for ch in (code or "").upper() if ch in CODE_ALPHABET)


@transaction.atomic
def create_pairing_code(
    member: Membership, *, actor: Actor, by: Membership | None
) -> tuple[PairingCode, str]:
    """A code for ``member``'s phone. People make their own; managers make them for their team
    (the view loads ``member`` through visibility)."""
    if by is not None and by.pk != member.pk and not by.has_role(Role.MANAGER):
        raise ActionError(
            gettext("you can make a pairing code only for yourself"), field="member", status_code=403
        )
    if not member.is_active:
        raise ActionError(gettext("the member is deactivated"), field="member")
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(8))
    now = timezone.now()
    code = PairingCode.objects.create(
        organisation_id=member.organisation_id,
        user_id=member.user_id,
        code_hash=hash_secret(raw),
        created_by=actor.user,
        created_at=now,
        expires_at=now + CODE_LIFETIME,
    )
    record(
        "device.pairing_code",
        organisation=member.organisation,
        actor=actor,
        obj=code,
        changes={"for_user": member.user_id},
    )
    return code, f"{raw[:4]}-{raw[4:]}"


@transaction.atomic
def pair_device(
    code: str, *, name: str, platform: str = "", os_version: str = "", app_version: str = "", actor: Actor
) -> tuple[Device, str]:
    """Exchange a pairing code for a device token (shown once, stored as a hash)."""
    found = (
        PairingCode.objects.select_for_update()
        .select_related("organisation")
        .filter(code_hash=hash_secret(normalise_code(code)))
        .first()
    )
    if found is None or found.used_at is not None or found.expires_at <= timezone.now():
        # One message for unknown, used and expired: a guesser learns nothing.
        raise ActionError(
            gettext("this pairing code is not valid (wrong, used or expired)"), field="code", status_code=400
        )
    member = (
        Membership.objects.select_related("organisation", "user")
        .filter(organisation_id=found.organisation_id, user_id=found.user_id, is_active=True)
        .first()
    )
    if member is None:
        raise ActionError(
            gettext("this pairing code is not valid (wrong, used or expired)"), field="code", status_code=400
        )
    name = (name or "").strip()[:100] or "Phone"
    found.used_at = timezone.now()
    found.save(update_fields=["used_at"])
    token, raw = create_api_token(member, name=name, actor=actor, kind=TokenKind.DEVICE)
    device = Device.objects.create(
        organisation_id=member.organisation_id,
        user_id=member.user_id,
        token=token,
        name=name,
        platform=(platform or "")[:40],
        os_version=(os_version or "")[:60],
        app_version=(app_version or "")[:60],
    )
    record(
        "device.pair",
        organisation=member.organisation,
        actor=Actor(kind="device", user=member.user, token=token, ip=actor.ip, user_agent=actor.user_agent),
        obj=device,
    )
    return device, raw


# A phone's clock may run ahead; 24 hours is far more than any that still works, and the state is
# bookkeeping (sync health), never worth refusing for minutes. Calls keep the protocol's 5 minutes.
PHONE_CLOCK_AHEAD = dt.timedelta(hours=24)


def report_state(
    device: Device,
    *,
    call_log_permission: str | None = None,
    last_call_log_read_at=None,
    queue_length: int | None = None,
    actor: Actor | None = None,
) -> Device:
    """What the phone says about itself. A change of its call-log permission is audited (sync
    refuses calls while it is revoked: who withdrew it, and when, is the record); last seen, last
    read and queue length are the phone's heartbeat on every run, bookkeeping like a token's
    last use, not a change anyone made."""
    fields = ["last_seen_at"]
    device.last_seen_at = timezone.now()
    permission_changed = False
    if call_log_permission is not None:
        if call_log_permission not in (Permission.GRANTED, Permission.REVOKED):
            raise ActionError(gettext("must be granted or revoked"), field="call_log_permission")
        permission_changed = device.call_log_permission != call_log_permission
        device.call_log_permission = call_log_permission
        fields.append("call_log_permission")
    if last_call_log_read_at is not None:
        if timezone.is_naive(last_call_log_read_at):
            raise ActionError(gettext("give a time with a UTC offset"), field="last_call_log_read_at")
        check_within(last_call_log_read_at, "last_call_log_read_at", past=ANY_PAST, future=PHONE_CLOCK_AHEAD)
        device.last_call_log_read_at = last_call_log_read_at
        fields.append("last_call_log_read_at")
    if queue_length is not None:
        device.queue_length = queue_length
        fields.append("queue_length")
    device.save(update_fields=fields)
    if permission_changed:
        record(
            "device.permission",
            organisation=device.organisation,
            actor=actor or Actor(kind=ActorKind.DEVICE, user=device.user, token=device.token),
            obj=device,
            changes={"call_log_permission": call_log_permission},
        )
    return device


@transaction.atomic
def revoke_device(device: Device, *, actor: Actor, by: Membership) -> Device:
    if by.user_id != device.user_id and not by.has_role(Role.MANAGER):
        raise ActionError(
            gettext("only the device's owner or a manager can revoke it"), field="device", status_code=403
        )
    if device.revoked_at is None:
        device.revoked_at = timezone.now()
        device.save(update_fields=["revoked_at"])
        revoke_api_token(device.token, actor=actor)
        record("device.revoke", organisation=device.organisation, actor=actor, obj=device)
    return device


# --- recording outcomes, manual calls, the outcomes, usage ------------------------------------


@dataclasses.dataclass
class NextFollowUp:
    due_at: dt.datetime
    kind: str = "call"
    note: str = ""


# Written once, not a queryset built on every outcome recorded: 0.74 -> 0.19 ms a look-up
# (SQLite, in-process CPU); the demo records a thousand outcomes. The same row on both databases.
_OUTCOME = (
    f"SELECT * FROM {Outcome._meta.db_table} "  # noqa: S608 — the table's name from the model
    "WHERE organisation_id = %s AND id = %s AND is_active"
)


def _check_outcome(org_id: int, outcome_id: int | None) -> Outcome | None:
    if outcome_id is None:
        return None
    found = next(iter(Outcome.objects.raw(_OUTCOME, [org_id, outcome_id])), None)
    if found is None:
        raise ActionError(gettext("no such outcome"), field="outcome_id", status_code=404)
    return found


@transaction.atomic
def record_outcome(
    call: Call,
    *,
    outcome_id: int | None,
    note: str = "",
    follow_up: NextFollowUp | None = None,
    actor: Actor,
    by: Membership,
) -> Call:
    """After a call: its outcome, a note, and the next follow-up on its lead. The person who
    made the call records it, or a manager above them (the view loads the call through
    visibility); recording again replaces the outcome and note."""
    if by.user_id != call.user_id and not by.has_role(Role.MANAGER):
        raise ActionError(
            gettext("only the caller or their manager records the outcome"), field="call", status_code=403
        )
    if follow_up is not None:
        # Checked here too, to name the field as the caller sent it (schedule_follow_up says due_at).
        check_within(follow_up.due_at, "follow_up.due_at", past=FOLLOW_UP_PAST, future=FOLLOW_UP_FUTURE)
    outcome = _check_outcome(call.organisation_id, outcome_id)
    note = (note or "").strip()
    if len(note) > 2000:
        raise ActionError(gettext("at most 2000 characters"), field="note")
    if follow_up is not None and call.lead_id is None:
        raise ActionError(
            gettext("this call has no lead to follow up; create the lead first"), field="follow_up"
        )
    call.outcome = outcome
    call.note = note
    call.disposed_at = made_now()  # an outcome recorded offline: when it was recorded
    call.disposed_by = actor.user
    call.save(update_fields=["outcome", "note", "disposed_at", "disposed_by"])
    # Whether there is a note, never the note: it is about the person called. The organisation
    # is the recorder's (read with their token or session), not read again through the call.
    same = by.organisation_id == call.organisation_id and Membership.organisation.is_cached(by)
    record(
        "call.outcome",
        organisation=by.organisation if same else call.organisation,
        actor=actor,
        obj=call,
        changes={"outcome": outcome.pk if outcome else None, "note": bool(note)},
    )
    call_outcome_recorded.send(sender=Call, call=call, actor=actor)
    if follow_up is not None:
        schedule_follow_up(
            call.lead,
            due_at=follow_up.due_at,
            kind=follow_up.kind,
            note=follow_up.note or (outcome.name if outcome else ""),
            actor=actor,
            by=by,
        )
    return call


# --- calls from numbers that are no lead ------------------------------------------------------


# Whether a call or an open call-back of the numbers waits for a lead: asked on every new
# lead's numbers, so written once rather than two Exists built by the ORM each time
# (2.1 -> 0.06 ms a look, SQLite, in-process CPU). {numbers}: a placeholder a number.
_WAITING = (
    f"SELECT EXISTS (SELECT 1 FROM {Call._meta.db_table} "  # noqa: S608 — the tables' names from the models
    "WHERE organisation_id = %s AND lead_id IS NULL AND number IN ({numbers})) "
    f"OR EXISTS (SELECT 1 FROM {CallBack._meta.db_table} WHERE organisation_id = %s "
    "AND closed_at IS NULL AND lead_id IS NULL AND number IN ({numbers}))"
)


def link_calls_to_lead(lead, numbers, *, actor: Actor) -> int:
    """The calls with ``numbers`` that belong to no lead become ``lead``'s, and so do the open
    call-backs of those numbers (given to the lead's owner when it has one; else they stay
    with whoever's phone rang). Calls already linked to another lead stay with it: they were
    that lead's when they happened. Returns how many calls were linked.

    One statement when there is nothing to link (a new lead's usual case: whether any call or
    call-back waits, both in one look), three when there is. The person-days of the linked
    calls gain a lead called: reports adds it on ``calls_linked``, which names them."""
    numbers = sorted({n for n in numbers if n})
    if not numbers:
        return 0
    org_id = lead.organisation_id
    listed = ", ".join(["%s"] * len(numbers))
    with connection.cursor() as cursor:
        cursor.execute(_WAITING.format(numbers=listed), [org_id, *numbers, org_id, *numbers])
        if not cursor.fetchone()[0]:
            return 0
    # One UPDATE … RETURNING: the roll-ups are told which calls moved (their person-days gain a
    # lead called), so they add that instead of recounting the days (calls_linked).
    table = connection.ops.quote_name(Call._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET lead_id = %s WHERE organisation_id = %s AND lead_id IS NULL "  # noqa: S608 — names from the model
            f"AND number IN ({', '.join(['%s'] * len(numbers))}) RETURNING id, user_id, started_at",
            [lead.pk, org_id, *numbers],
        )
        moved_calls = [(pk, user_id, _as_aware(at)) for pk, user_id, at in cursor.fetchall()]
    linked = len(moved_calls)
    moved = {"lead": lead} | ({"assignee_id": lead.owner_id} if lead.owner_id else {})
    call_backs = CallBack.objects.filter(
        organisation_id=org_id, number__in=numbers, closed_at__isnull=True, lead__isnull=True
    ).update(**moved)
    if linked:
        newest = max(at for _, _, at in moved_calls)
        # As sync does: last contacted follows the newest call and never moves back.
        Lead.objects.filter(pk=lead.pk).filter(
            Q(last_contacted_at__isnull=True) | Q(last_contacted_at__lt=newest)
        ).update(last_contacted_at=newest)
        if lead.last_contacted_at is None or lead.last_contacted_at < newest:
            lead.last_contacted_at = newest  # a later save() of this instance must not undo it
        calls_linked.send(sender=Call, organisation=lead.organisation, lead_id=lead.pk, calls=moved_calls)
    if linked or call_backs:
        record(
            "lead.calls_linked",
            organisation=lead.organisation,
            actor=actor,
            obj=lead,
            changes={"calls": linked, "call_backs": call_backs},
        )
    return linked


def _as_aware(value) -> dt.datetime:
    # SQLite's RETURNING gives the column as the text Django wrote (UTC); PostgreSQL a datetime.
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value


def may_own_call_lead(call: Call, by: Membership) -> bool:
    """Whether the person whose phone the call was on can be given a lead by ``by``: then a
    lead made from the call is theirs unless ``by`` chooses otherwise."""
    return can_assign_to(by, call.user_id)


@transaction.atomic
def create_lead_from_call(
    call: Call,
    *,
    name: str = "",
    company: str = "",
    email: str = "",
    owner_id: int | None,
    actor: Actor,
    by: Membership,
):
    """A lead for the number of a call that has none, made through the leads' own create
    action (its checks, timeline and ``lead.create`` audit event). The new lead gets this call
    and every other call with the number that is nobody's lead, and its open call-back.

    Returns (lead, created). A number that is already a lead's (made since the call, or by an
    import) gives that lead, with the calls linked to it: never an error, never a second lead."""
    if by.user_id != call.user_id and not by.has_role(Role.MANAGER):
        raise ActionError(
            gettext("only the caller or their manager makes a lead from a call"),
            field="call",
            status_code=403,
        )
    # Checked first, whatever happens next: someone from elsewhere is a 404 even when the
    # number turns out to be a lead already.
    check_owner(by, owner_id, call.organisation_id, field="owner_id")
    if call.lead_id is not None:
        return call.lead, False
    org = by.organisation
    if not call.number:
        raise ActionError(
            gettext("the number was withheld: there is nothing to make a lead of"), field="number"
        )
    try:
        valid = normalise(call.number, org.phone_region) == call.number
    except InvalidPhone:
        valid = False
    if not valid:
        raise ActionError(
            gettext("not a number a lead can have (a service or short code)"), field="number", status_code=400
        )
    existing = (
        LeadPhone.objects.filter(organisation_id=org.pk, e164=call.number).select_related("lead").first()
    )
    if existing is not None:
        link_calls_to_lead(existing.lead, [call.number], actor=actor)
        return existing.lead, False
    data = LeadData(name=name, company=company, email=email, phones=[call.number], owner_id=owner_id)
    try:
        lead, _ = create_lead(org, data, actor=actor, by=by)
    except DuplicateLead as exc:
        if exc.matched_on != "phone":
            # The e-mail typed in is another lead's, maybe one the person may not open: no id.
            raise ActionError(
                gettext("another lead has this e-mail"), field="email", status_code=409
            ) from None
        # Made by someone else between our look and our insert.
        link_calls_to_lead(exc.existing, [call.number], actor=actor)
        return exc.existing, False
    return lead, True


MANUAL_STATUSES = {
    # (direction, connected) -> (type the phone would have written, status)
    ("out", True): (CallType.OUTGOING, CallStatus.CONNECTED),
    ("out", False): (CallType.OUTGOING, CallStatus.NOT_CONNECTED),
    ("in", True): (CallType.INCOMING, CallStatus.ANSWERED),
    ("in", False): (CallType.MISSED, CallStatus.MISSED),
}


def _manual_started_at(started_at: dt.datetime | None, now: dt.datetime) -> dt.datetime:
    """When a hand-logged call began, to the second: the same form sent twice then names the
    same moment and finds the first call. A person's statement is believed only within a
    window (no future, the last 30 days), since nothing on a phone backs it."""
    started_at = (started_at or now).replace(microsecond=0)
    if timezone.is_naive(started_at):
        raise ActionError(gettext("give a date and time with a time zone"), field="started_at")
    if started_at > now + dt.timedelta(minutes=5):
        raise ActionError(gettext("cannot be in the future"), field="started_at")
    if started_at < now - dt.timedelta(days=30):
        raise ActionError(gettext("only calls of the last 30 days can be logged"), field="started_at")
    return started_at


def _manual_number_and_lead(org, lead, number: str) -> tuple[str, object]:
    """(number, lead) of a hand-logged call. A call logged from a lead's page is to the lead's
    own number; a typed number is cleaned as a phone's would be, and joins the lead that has it
    so the call shows on that lead as a synced one would."""
    if lead is not None:
        number = lead.phone
        if not number:
            raise ActionError(gettext("this lead has no phone number"), field="lead_id")
        return number, lead
    try:
        number = normalise(number, org.phone_region)
    except InvalidPhone as exc:
        raise ActionError(gettext("not a valid number: %(why)s") % {"why": exc}, field="number") from None
    return number, Lead.objects.filter(organisation_id=org.pk, phones__e164=number).first()


def _run_stored_call_hooks(org, member: Membership, call: Call, lead) -> None:
    """Put a hand-logged call through what follows a synced batch (the lead's last contact,
    the missed-call loop, the roll-ups' signal), in the sync's own shape (ingest's CleanCall),
    so the two ways a call arrives cannot disagree about what it did."""
    clean = CleanCall(
        index=0,
        device_call_id="",
        number=call.number,
        valid=True,
        country_iso="",
        type=call.type,
        status=call.status,
        direction=call.direction,
        started_at=call.started_at,
        duration_s=call.duration_s,
        sim="",
        contact_name="",
        lead_id=lead.pk if lead else None,
        owner_id=lead.owner_id if lead else None,
    )
    touch_leads([(call.pk, clean)])
    returned = callbacks.on_calls_stored(org, [(call.pk, clean)], user_id=member.user_id)
    calls_stored.send(
        sender=Call,
        organisation=org,
        user_id=member.user_id,
        moments=[call.started_at],
        call_back_call_ids=returned,
    )


@transaction.atomic
def log_call(
    member: Membership,
    *,
    lead=None,
    number: str = "",
    direction: str = "out",
    connected: bool = True,
    started_at: dt.datetime | None = None,
    duration_s: int = 0,
    outcome_id: int | None = None,
    note: str = "",
    follow_up: NextFollowUp | None = None,
    actor: Actor,
) -> tuple[Call, bool]:
    """A call logged by hand, for people whose phone cannot share its call log (the protocol
    allows it while the permission is revoked). It is the person's own statement, so it is
    not bound to a shift. Returns (call, created): the same form sent twice logs one call."""
    org = member.organisation
    if (direction, bool(connected)) not in MANUAL_STATUSES:
        raise ActionError(gettext("must be in or out"), field="direction")
    call_type, status = MANUAL_STATUSES[(direction, bool(connected))]
    now = timezone.now()
    # Logged offline (the outcome sheet of a lead with no synced call): the call was then.
    started_at = _manual_started_at(started_at or made_now(), now)
    if not isinstance(duration_s, int) or not 0 <= duration_s <= 24 * 3600:
        raise ActionError(gettext("a whole number of seconds up to a day"), field="duration_s")
    if not connected:
        duration_s = 0
    number, lead = _manual_number_and_lead(org, lead, number)
    outcome = _check_outcome(org.pk, outcome_id)
    existing = Call.objects.filter(
        organisation_id=org.pk, user_id=member.user_id, number=number, started_at=started_at, type=call_type
    ).first()
    if existing is not None:
        return existing, False
    call = Call.objects.create(
        organisation_id=org.pk,
        user_id=member.user_id,
        lead=lead,
        number=number,
        type=call_type,
        status=status,
        direction=direction,
        started_at=started_at,
        duration_s=duration_s,
        via=CallVia.MANUAL,
        outcome=outcome,
        note=(note or "").strip()[:2000],
        disposed_at=made_now() if outcome or note else None,
        disposed_by=actor.user if outcome or note else None,
    )
    _run_stored_call_hooks(org, member, call, lead)
    # Ids and flags, never the number or the note (the lead's data).
    record(
        "call.log",
        organisation=org,
        actor=actor,
        obj=call,
        changes={
            "lead": lead.pk if lead else None,
            "direction": direction,
            "connected": bool(connected),
            "duration_s": duration_s,
            "outcome": outcome.pk if outcome else None,
            "note": bool(call.note),
        },
    )
    if follow_up is not None:
        record_outcome(
            call, outcome_id=outcome_id, note=call.note, follow_up=follow_up, actor=actor, by=member
        )
    elif outcome is not None:
        call_outcome_recorded.send(sender=Call, call=call, actor=actor)
    count_usage(org, "call.manual")
    return call, True


@transaction.atomic
def save_outcome(
    org,
    *,
    name: str,
    asks_follow_up: bool = False,
    is_active: bool = True,
    position: int | None = None,
    outcome: Outcome | None = None,
    sets_status_id: int | None | object = UNCHANGED,
    connected: bool | None = None,
    actor: Actor,
) -> Outcome:
    """``sets_status_id`` and ``connected`` are kept as they are when not given (the API's
    body does not carry them)."""
    name = (name or "").strip()
    if not name or len(name) > 60:
        raise ActionError(gettext("give a name of at most 60 characters"), field="name")
    clash = Outcome.objects.filter(organisation_id=org.pk, name__iexact=name)
    if outcome is not None:
        clash = clash.exclude(pk=outcome.pk)
    if clash.exists():
        raise ActionError(gettext("an outcome with this name exists"), field="name", status_code=409)
    if outcome is None:
        last = Outcome.objects.filter(organisation_id=org.pk).order_by("-position").first()
        outcome = Outcome(organisation=org, position=(last.position + 1) if last else 0)
    if sets_status_id is not UNCHANGED:
        if (
            sets_status_id is not None
            and not LeadStatus.objects.filter(organisation_id=org.pk, pk=sets_status_id).exists()
        ):
            raise ActionError(gettext("no such status"), field="sets_status_id", status_code=404)
        outcome.sets_status_id = sets_status_id
    if connected is not None:
        outcome.connected = bool(connected)
    outcome.name = name
    outcome.asks_follow_up = bool(asks_follow_up)
    outcome.is_active = bool(is_active)
    if position is not None:
        outcome.position = max(0, int(position))
    created = outcome.pk is None
    outcome.save()
    record(
        "outcome.create" if created else "outcome.update",
        organisation=org,
        actor=actor,
        obj=outcome,
        changes={
            "asks_follow_up": outcome.asks_follow_up,
            "is_active": outcome.is_active,
            "sets_status": outcome.sets_status_id,
            "connected": outcome.connected,
        },
    )
    return outcome


def count_usage(org, event: str, *, app_version: str = "", os: str = "", n: int = 1) -> None:
    """Add to today's counter for ``event``, unless the organisation switched usage data off.
    One upsert; nobody is named in it."""
    if not org.usage_events:
        return

    day = UsageDay.day_of()
    key = {
        "organisation_id": org.pk,
        "day": day,
        "event": event[:40],
        "app_version": app_version[:60],
        "os": os[:60],
    }
    if not UsageDay.objects.filter(**key).update(count=F("count") + n):
        try:
            with transaction.atomic():
                UsageDay.objects.create(**key, count=n)
        except IntegrityError:
            UsageDay.objects.filter(**key).update(count=F("count") + n)


@transaction.atomic
def purge_usage(now=None) -> int:
    """Usage data expires after USAGE_RETENTION_DAYS (the privacy issue may shorten it): the
    counters, and the app version and system of phones revoked that long ago."""
    now = now or timezone.now()
    cutoff = now - dt.timedelta(days=settings.USAGE_RETENTION_DAYS)
    days_cutoff = UsageDay.day_of(now) - dt.timedelta(days=settings.USAGE_RETENTION_DAYS)
    days = UsageDay.objects.filter(day__lt=days_cutoff)
    devices = Device.objects.filter(revoked_at__lt=cutoff).exclude(app_version="", os_version="", platform="")
    per_org: dict[int, dict[str, int]] = {}
    for key, qs in (("usage_days", days), ("devices_cleared", devices)):
        for row in qs.values("organisation_id").annotate(n=Count("id")).order_by():
            per_org.setdefault(row["organisation_id"], {})[key] = row["n"]
    deleted, _ = days.delete()
    cleared = devices.update(app_version="", os_version="", platform="")
    # One event per organisation that lost something, as the nightly retention purge writes.
    orgs = Organisation.objects.in_bulk(list(per_org))
    for org_id, counts in per_org.items():
        record(
            "usage.purged",
            organisation=orgs[org_id],
            actor=Actor.system(),
            object_type="organisation",
            object_id=str(org_id),
            changes=counts,
        )
    return deleted + cleared
