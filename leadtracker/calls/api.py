"""/api/v1/devices/ — pairing a phone, its state, and the devices list (sync protocol)."""

import datetime as dt
import json

from ninja import Router, Schema, Status
from ninja.errors import ValidationError
from pydantic import Field

from leadtracker.accounts.audit import Actor
from leadtracker.accounts.auth import BearerAuth, SessionAuth
from leadtracker.accounts.models import TokenKind
from leadtracker.calls import actions, selectors, sync
from leadtracker.calls.models import Device
from leadtracker.lib.errors import ActionError
from leadtracker.lib.schema import Strict

router = Router(tags=["devices"])


class DeviceAuth(BearerAuth):
    """A device token only; records the X-App-Version and X-OS the phone sends (usage data)."""

    def __init__(self):
        super().__init__(kinds=(TokenKind.DEVICE,))

    def authenticate(self, request, token):
        found = super().authenticate(request, token)
        if found is None:
            return None
        device = Device.objects.filter(token=found, revoked_at__isnull=True).first()
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
    last_call_log_read_at: dt.datetime | None = None
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
    device, raw = actions.pair_device(
        payload.code,
        name=payload.name,
        platform=payload.platform,
        os_version=payload.os_version,
        app_version=payload.app_version,
        actor=Actor.from_request(request),
    )
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
    from leadtracker.accounts.visibility import visible_memberships

    member = request.membership
    if payload.member_id is not None:
        member = visible_memberships(request.membership).filter(pk=payload.member_id).first()
        if member is None:
            raise ActionError("no such member", field="member_id", status_code=404)
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
    sim: str | None = Field(None, max_length=8)
    contact_name: str | None = Field(None, max_length=200, description="only used to name a new lead")


class SyncIn(Strict):
    calls: list[CallIn] = Field(..., max_length=500)


class RejectedOut(Schema):
    index: int
    error: str


class SyncOut(Schema):
    received: int
    stored: int
    duplicates: int
    outside_shift: int
    rejected: list[RejectedOut]


SYNC_DOC = {
    "requestBody": {"required": True, "content": {"application/json": {"schema": SyncIn.model_json_schema()}}}
}


@router.post(
    "/calls/sync",
    auth=DEVICE_AUTH,
    response=SyncOut,
    tags=["calls"],
    summary="Send up to 500 call-log rows; safe to resend",
    description="received = stored + duplicates + outside_shift + len(rejected), always. A bad row is "
    "reported by its index and skipped; an unknown field anywhere rejects the request (422).",
    openapi_extra=SYNC_DOC,
)
def sync_calls(request):
    if request.content_type != "application/json":
        raise ValidationError(
            [{"loc": ("body",), "msg": "send JSON (Content-Type: application/json)", "type": "content_type"}]
        )
    try:
        body = json.loads(request.body or b"null")
    except (ValueError, UnicodeDecodeError):
        raise ValidationError([{"loc": ("body",), "msg": "not valid JSON", "type": "json"}]) from None
    return sync.sync(request.device, body, actor=Actor.from_request(request))
