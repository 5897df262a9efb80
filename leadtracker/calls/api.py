"""/api/v1/ devices and calls — pairing a phone, its state, call sync (the sync protocol), the
calls list, recording outcomes, manual calls, missed calls to return, the organisation's outcomes
and usage data."""

import datetime as dt

from django.db.models import F
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from ninja.errors import Throttled
from pydantic import Field, model_validator

from leadtracker.accounts import throttle
from leadtracker.accounts.audit import Actor
from leadtracker.accounts.auth import BearerAuth, SessionAuth
from leadtracker.accounts.models import Role, TokenKind
from leadtracker.accounts.throttle import DeviceThrottle, with_defaults
from leadtracker.accounts.visibility import visible_memberships
from leadtracker.calls import actions, selectors, sync
from leadtracker.calls.models import Device, Outcome, Permission
from leadtracker.calls.sheet import api as sheet_api
from leadtracker.leads import access, masking
from leadtracker.leads.selectors import get_lead
from leadtracker.lib import json_body
from leadtracker.lib.errors import ActionError
from leadtracker.lib.http import client_ip
from leadtracker.lib.pagination import keyset_sorted
from leadtracker.lib.schema import Moment, Strict, request_body, require_role

router = Router(tags=["devices"])
router.add_router("", sheet_api.router)


class DeviceAuth(BearerAuth):
    """A device token only; records the X-App-Version and X-OS the phone sends (usage data)."""

    def __init__(self):
        super().__init__(kinds=(TokenKind.DEVICE,))

    def authenticate(self, request, token):
        found = super().authenticate(request, token)
        if found is None:
            return None
        device = (
            Device.objects.select_related("organisation").filter(token=found, revoked_at__isnull=True).first()
        )
        if device is None:
            return None
        changed = {}
        for header, field, size in (("X-App-Version", "app_version", 60), ("X-OS", "os_version", 60)):
            value = request.headers.get(header, "")[:size]
            if value and getattr(device, field) != value:
                changed[field] = value
        if changed:
            Device.objects.filter(pk=device.pk).update(**changed)
            for key, value in changed.items():
                setattr(device, key, value)
        request.device = device
        return found


DEVICE_AUTH = [DeviceAuth()]
# A phone may also log calls by hand, see the outcomes and record one (sync protocol: a device
# whose call-log permission is revoked stays usable for manual call logging).
PERSON_OR_DEVICE = [BearerAuth(kinds=(TokenKind.PERSONAL, TokenKind.DEVICE)), SessionAuth()]


class PairIn(Strict):
    code: str = Field(..., min_length=4, max_length=20)
    name: str = Field("", max_length=100)
    platform: str = Field("", max_length=40)
    os_version: str = Field("", max_length=60)
    app_version: str = Field("", max_length=60)


class PairOut(Schema):
    device_id: int
    token: str = Field(..., description="the device token; shown this once, stored only as a hash")
    user_id: int
    organisation: str


class StateIn(Strict):
    call_log_permission: str | None = Field(None, pattern="^(granted|revoked)$")
    last_call_log_read_at: Moment | None = None
    queue_length: int | None = Field(None, ge=0, le=10_000_000)


class DeviceOut(Schema):
    id: int
    user_id: int
    name: str
    platform: str
    os_version: str
    app_version: str
    paired_at: dt.datetime
    last_seen_at: dt.datetime | None
    last_sync_at: dt.datetime | None
    newest_call_at: dt.datetime | None
    queue_length: int | None
    call_log_permission: str
    last_call_log_read_at: dt.datetime | None
    revoked_at: dt.datetime | None


class PairingCodeIn(Strict):
    member_id: int | None = Field(None, description="whose phone; default: the caller's own")


class PairingCodeOut(Schema):
    code: str
    expires_at: dt.datetime


@router.post(
    "/devices/pair",
    auth=None,
    response={201: PairOut},
    summary="Exchange a pairing code for a device token (once)",
)
def pair(request, payload: PairIn):
    ip = client_ip(request)
    # Wrong codes are counted per address: guessing a short code must stay slow.
    if throttle.blocked(throttle.PAIRING, ip=ip):
        raise Throttled(wait=throttle.retry_after(throttle.PAIRING))
    try:
        device, raw = actions.pair_device(
            payload.code,
            name=payload.name,
            platform=payload.platform,
            os_version=payload.os_version,
            app_version=payload.app_version,
            actor=Actor.from_request(request),
        )
    except ActionError as exc:
        if exc.field == "code":
            throttle.hit(throttle.PAIRING, ip=ip)
        raise
    return Status(
        201,
        PairOut(
            device_id=device.pk, token=raw, user_id=device.user_id, organisation=device.organisation.slug
        ),
    )


@router.post(
    "/devices/state",
    auth=DEVICE_AUTH,
    response=DeviceOut,
    summary="What the phone reports: call-log permission, last read, outbox length",
)
def state(request, payload: StateIn):
    return actions.report_state(
        request.device,
        call_log_permission=payload.call_log_permission,
        last_call_log_read_at=payload.last_call_log_read_at,
        queue_length=payload.queue_length,
        actor=Actor.from_request(request),
    )


@router.get("/devices", response=list[DeviceOut], summary="Devices the caller may see")
def list_devices(request):
    return list(selectors.devices_for(request.membership).order_by("-paired_at")[:500])


@router.delete("/devices/{device_id}", response=DeviceOut, summary="Revoke: its token fails at once")
def revoke(request, device_id: int):
    device = selectors.get_device(request.membership, device_id)
    return actions.revoke_device(device, actor=Actor.from_request(request), by=request.membership)


@router.post(
    "/pairing-codes",
    response={201: PairingCodeOut},
    auth=[SessionAuth(), BearerAuth()],
    summary="A pairing code for your phone, or (managers) a team member's",
)
def pairing_code(request, payload: PairingCodeIn):
    member = request.membership
    if payload.member_id is not None:
        member = visible_memberships(request.membership).filter(pk=payload.member_id).first()
        if member is None:
            raise ActionError(_("no such member"), field="member_id", status_code=404)
    code, raw = actions.create_pairing_code(member, actor=Actor.from_request(request), by=request.membership)
    return Status(201, PairingCodeOut(code=raw, expires_at=code.expires_at))


# --- calls -------------------------------------------------------------------------------


class CallIn(Strict):
    """One call-log row, exactly the protocol's CALL; any other field is refused."""

    device_call_id: str | None = Field(
        None, max_length=64, description="the call-log row id, if the source has one"
    )
    number: str = Field(..., max_length=64, description='as the phone has it; "" when withheld')
    country_iso: str | None = Field(None, max_length=2)
    type: str = Field(
        ..., pattern="^(incoming|outgoing|missed|rejected|blocked|voicemail|answered_externally)$"
    )
    started_at: str = Field(..., description="RFC 3339 with offset")
    duration_s: int = Field(..., ge=0)
    sim: str | None = Field(None, max_length=64)
    contact_name: str | None = Field(None, max_length=200, description="only used to name a new lead")


class SyncIn(Strict):
    calls: list[CallIn] = Field(..., max_length=500)


class RejectedOut(Schema):
    index: int
    error: str = Field(
        ..., description="the reason in English, as every release sent it (older agents read it)"
    )
    message: str = Field("", description="the reason, for people, in the device's person's language")
    code: str = Field(
        "",
        description="stable, for a program: in_the_future, not_a_time, required, … (docs/sync-protocol.md)",
    )
    field: str = Field("", description="the call's field at fault; empty for a row that is not an object")


class SyncOut(Schema):
    received: int
    stored: int
    duplicates: int
    outside_shift: int
    rejected: list[RejectedOut]


SYNC_DOC = request_body(SyncIn)


@router.post(
    "/calls/sync",
    auth=DEVICE_AUTH,
    throttle=with_defaults(DeviceThrottle()),
    response=SyncOut,
    tags=["calls"],
    summary="Send up to 500 call-log rows; safe to resend",
    description="received = stored + duplicates + outside_shift + len(rejected), always. A bad row is "
    "reported by its index and skipped; an unknown field anywhere rejects the request (422).",
    openapi_extra=SYNC_DOC,
)
def sync_calls(request):
    # Read here, not by ninja: a bad row is reported by its index, not a 422 for the batch.
    # The API's one reader: 415 for another type, 413 past the size limit, 422 too deeply nested.
    body = json_body.read(request, too_large_hint="send at most 500 calls a request")
    if request.device.call_log_permission == Permission.REVOKED:
        # The phone said it may no longer read the call log; whatever it sends now was not read
        # with the person's permission. Punching and manual logging keep working.
        raise ActionError(
            _(
                "this phone reported its call-log permission revoked: calls are not accepted from it "
                "until it reports the permission granted again (POST /api/v1/devices/state)"
            ),
            field="call_log_permission",
            status_code=409,
        )
    return sync.sync(request.device, body, actor=Actor.from_request(request))


# The outcome was called a disposition in the API until this release. For one release the old
# name is still sent (CallOut) and still taken (the request bodies below), marked deprecated.
DISPOSITION_ID_OUT = "Deprecated: the same as outcome_id; it goes in the next release."
DISPOSITION_ID_IN = "Deprecated: the old name of outcome_id, still taken for one release."


class WithOutcomeId(Strict):
    """A body that names an outcome: outcome_id, or its old name disposition_id."""

    outcome_id: int | None = None
    disposition_id: int | None = Field(
        None, description=DISPOSITION_ID_IN, json_schema_extra={"deprecated": True}
    )

    @model_validator(mode="after")
    def _one_outcome(self):
        if "disposition_id" in self.model_fields_set:
            if "outcome_id" in self.model_fields_set and self.outcome_id != self.disposition_id:
                raise ValueError(_("outcome_id and disposition_id differ: give outcome_id only"))
            self.outcome_id = self.disposition_id
        return self


class CallOut(Schema):
    id: int
    user_id: int
    device_id: int | None
    lead_id: int | None
    number: str
    type: str
    status: str
    direction: str
    started_at: dt.datetime
    duration_s: int
    sim: str
    via: str
    outcome_id: int | None
    disposition_id: int | None = Field(
        None, description=DISPOSITION_ID_OUT, json_schema_extra={"deprecated": True}
    )
    note: str
    disposed_at: dt.datetime | None

    @staticmethod
    def resolve_disposition_id(obj):
        return obj.outcome_id

    @staticmethod
    def resolve_number(obj, context):
        viewer = getattr((context or {}).get("request"), "membership", None)
        return masking.shown(viewer, obj.number, masking.lead_owner_of(obj), has_lead=bool(obj.lead_id))


class CallPage(Schema):
    items: list[CallOut]
    next_cursor: str | None


class FollowUpNext(Strict):
    due_at: Moment
    kind: str = Field("call", pattern="^(call|meeting|visit|whatsapp)$")
    note: str = Field("", max_length=2000)


class RecordOutcomeIn(WithOutcomeId):
    note: str = Field("", max_length=2000)
    follow_up: FollowUpNext | None = None


class ManualCallIn(WithOutcomeId):
    lead_id: int | None = Field(None, description="the lead called; or give number")
    number: str = Field("", max_length=64)
    direction: str = Field("out", pattern="^(in|out)$")
    connected: bool = True
    started_at: Moment | None = Field(None, description="default now")
    duration_s: int = Field(0, ge=0, le=86400)
    note: str = Field("", max_length=2000)
    follow_up: FollowUpNext | None = None


class CallBackOut(Schema):
    id: int
    lead_id: int | None = Field(..., description="empty: the number is no lead (yet)")
    lead_name: str
    number: str
    missed_call_id: int = Field(..., description="the call that was missed; record its outcome on it")
    assignee_id: int | None
    missed_at: dt.datetime
    last_missed_at: dt.datetime
    missed_count: int
    closed_at: dt.datetime | None
    seconds_to_return: int | None


class OutcomeOut(Schema):
    id: int
    name: str
    position: int
    asks_follow_up: bool = Field(..., description="The outcome sheet requires a next follow-up with it")
    sets_status_id: int | None = Field(None, description="The status recording it moves the lead to")
    connected: bool = Field(True, description="The person was reached")
    is_active: bool


class OutcomeIn(Strict):
    name: str = Field(..., min_length=1, max_length=60)
    asks_follow_up: bool = False
    is_active: bool = True
    position: int | None = Field(None, ge=0, le=10_000)
    # Kept as they are when left out (older clients do not send them).
    sets_status_id: int | None = Field(None, description="A status of the organisation, or null for none")
    connected: bool | None = None


def _outcome_fields(payload: OutcomeIn) -> dict:
    fields = payload.dict()
    if "sets_status_id" not in payload.model_fields_set:
        del fields["sets_status_id"]
    return fields


def _next(payload) -> "actions.NextFollowUp | None":
    f = payload.follow_up
    return actions.NextFollowUp(due_at=f.due_at, kind=f.kind, note=f.note) if f else None


@router.get("/calls", response=CallPage, tags=["calls"], summary="Calls you may see, newest first")
def list_calls(
    request,
    user_id: int | None = None,
    team_of: int | None = None,
    status: str = "",
    direction: str = "",
    start: dt.datetime | None = None,
    end: dt.datetime | None = None,
    lead: str = "",
    cursor: str | None = None,
    limit: int = 50,
):
    if direction not in ("", "in", "out"):
        raise ActionError(_("must be in or out"), field="direction")
    f = selectors.CallFilter(
        user_id=user_id, team_of=team_of, status=status, direction=direction, start=start, end=end, lead=lead
    )
    rows, next_cursor = keyset_sorted(
        # The lead's owner decides whether an agent sees the number (last-four-digits mode).
        selectors.filter_calls(request.membership, f).annotate(lead_owner_id=F("lead__owner_id")),
        field="started_at",
        descending=True,
        cursor=cursor,
        limit=limit,
        parse=dt.datetime.fromisoformat,
    )
    if lead.isdigit() and cursor is None:
        access.lead_calls_listed(request, int(lead), via="api")
    return {"items": rows, "next_cursor": next_cursor}


@router.post(
    "/calls",
    auth=PERSON_OR_DEVICE,
    response={201: CallOut, 200: CallOut},
    tags=["calls"],
    summary="Log a call by hand",
)
def log_call(request, payload: ManualCallIn):
    lead = get_lead(request.membership, payload.lead_id) if payload.lead_id is not None else None
    call, created = actions.log_call(
        request.membership,
        lead=lead,
        number=payload.number,
        direction=payload.direction,
        connected=payload.connected,
        started_at=payload.started_at,
        duration_s=payload.duration_s,
        outcome_id=payload.outcome_id,
        note=payload.note,
        follow_up=_next(payload),
        actor=Actor.from_request(request),
    )
    return Status(201 if created else 200, call)


@router.get(
    "/calls/missed",
    response=list[CallBackOut],
    tags=["calls"],
    summary="Missed calls to return, oldest first",
)
def missed(request):
    return [
        CallBackOut(
            id=cb.pk,
            lead_id=cb.lead_id,
            lead_name=str(cb.lead) if cb.lead_id else "",
            number=masking.shown(
                request.membership, cb.number, masking.lead_owner_of(cb), has_lead=bool(cb.lead_id)
            ),
            missed_call_id=cb.missed_call_id,
            assignee_id=cb.assignee_id,
            missed_at=cb.missed_at,
            last_missed_at=cb.last_missed_at,
            missed_count=cb.missed_count,
            closed_at=cb.closed_at,
            seconds_to_return=cb.seconds_to_return,
        )
        for cb in selectors.missed_to_return(request.membership)
    ]


@router.get("/calls/{call_id}", response=CallOut, tags=["calls"], summary="One call")
def get_call(request, call_id: int):
    return selectors.get_call(request.membership, call_id)


@router.post(
    "/calls/{call_id}/outcome",
    auth=PERSON_OR_DEVICE,
    response=CallOut,
    tags=["calls"],
    summary="Record the outcome, a note, the next follow-up",
)
def outcome(request, call_id: int, payload: RecordOutcomeIn):
    call = selectors.get_call(request.membership, call_id)
    return actions.record_outcome(
        call,
        outcome_id=payload.outcome_id,
        note=payload.note,
        follow_up=_next(payload),
        actor=Actor.from_request(request),
        by=request.membership,
    )


class LeadFromCallIn(Strict):
    name: str = Field("", max_length=200)
    company: str = Field("", max_length=200)
    email: str = Field("", max_length=254)
    owner_id: int | None = Field(
        None, description="default: the person whose phone the call was on, if you may give them leads"
    )


class LeadFromCallOut(Schema):
    lead_id: int
    created: bool = Field(..., description="false: the number was a lead already; the call is linked to it")


@router.post(
    "/calls/{call_id}/lead",
    auth=PERSON_OR_DEVICE,
    response={201: LeadFromCallOut, 200: LeadFromCallOut},
    tags=["calls"],
    summary="Make a lead of a call's number (or link the call to the lead that has it)",
)
def lead_from_call(request, call_id: int, payload: LeadFromCallIn):
    call = selectors.get_call(request.membership, call_id)
    owner_id = payload.owner_id
    if owner_id is None and actions.may_own_call_lead(call, request.membership):
        owner_id = call.user_id
    lead, created = actions.create_lead_from_call(
        call,
        name=payload.name,
        company=payload.company,
        email=payload.email,
        owner_id=owner_id,
        actor=Actor.from_request(request),
        by=request.membership,
    )
    return Status(201 if created else 200, LeadFromCallOut(lead_id=lead.pk, created=created))


@router.get(
    "/outcomes",
    auth=PERSON_OR_DEVICE,
    response=list[OutcomeOut],
    tags=["calls"],
    summary="Call outcomes to choose from",
)
def list_outcomes(request, include_hidden: bool = False):
    return list(selectors.outcomes(request.membership.organisation_id, active_only=not include_hidden))


@router.post("/outcomes", response={201: OutcomeOut}, tags=["calls"], summary="Add an outcome (admins)")
def create_outcome(request, payload: OutcomeIn):
    member = require_role(request, Role.ADMIN)
    fields = _outcome_fields(payload)
    d = actions.save_outcome(member.organisation, **fields, actor=Actor.from_request(request))
    return Status(201, d)


@router.put(
    "/outcomes/{outcome_id}",
    response=OutcomeOut,
    tags=["calls"],
    summary="Rename, reorder or hide an outcome (admins)",
)
def update_outcome(request, outcome_id: int, payload: OutcomeIn):
    member = require_role(request, Role.ADMIN)
    d = get_object_or_404(Outcome, organisation_id=member.organisation_id, pk=outcome_id)
    return actions.save_outcome(
        member.organisation, **_outcome_fields(payload), outcome=d, actor=Actor.from_request(request)
    )


# --- the outcomes' old paths, /dispositions: deprecated, answering for one release ----------


def _moved_to(path: str) -> str:
    return f"Deprecated: use {path}, which answers the same; this path goes in the next release."


@router.get(
    "/dispositions",
    auth=PERSON_OR_DEVICE,
    response=list[OutcomeOut],
    tags=["calls"],
    summary="Call outcomes to choose from",
    description=_moved_to("GET /api/v1/outcomes"),
    deprecated=True,
)
def list_dispositions(request, include_hidden: bool = False):
    return list_outcomes(request, include_hidden)


@router.post(
    "/dispositions",
    response={201: OutcomeOut},
    tags=["calls"],
    summary="Add an outcome (admins)",
    description=_moved_to("POST /api/v1/outcomes"),
    deprecated=True,
)
def create_disposition(request, payload: OutcomeIn):
    return create_outcome(request, payload)


@router.put(
    "/dispositions/{disposition_id}",
    response=OutcomeOut,
    tags=["calls"],
    summary="Rename, reorder or hide an outcome (admins)",
    description=_moved_to("PUT /api/v1/outcomes/{outcome_id}"),
    deprecated=True,
)
def update_disposition(request, disposition_id: int, payload: OutcomeIn):
    return update_outcome(request, disposition_id, payload)


class UsageOut(Schema):
    days: int
    by_event: dict[str, int]
    versions: list[dict]
    daily: list[dict]


@router.get("/usage", response=UsageOut, tags=["calls"], summary="Usage data, counted per day (admins)")
def usage(request, days: int = 30):
    member = require_role(request, Role.ADMIN)
    return selectors.usage_summary(member.organisation_id, max(1, min(days, 365)))
