"""/api/v1/attendance/ — punch-in and punch-out as the sync protocol says, shifts, who is on shift."""

import datetime as dt

from django.utils.translation import gettext
from ninja import Router, Schema, Status
from ninja.errors import HttpError, ValidationError
from pydantic import Field
from pydantic import ValidationError as PydanticError

from leadtracker.accounts.audit import Actor
from leadtracker.accounts.auth import BearerAuth, SessionAuth
from leadtracker.accounts.models import Role, TokenKind
from leadtracker.attendance import actions, selectors
from leadtracker.attendance.models import Shift, ShiftSource
from leadtracker.lib import json_body
from leadtracker.lib.schema import Moment, Strict, request_body, require_role

router = Router(tags=["attendance"])

# Phones punch in with their device token; people with the web session or a personal token.
PUNCH_AUTH = [BearerAuth(kinds=(TokenKind.PERSONAL, TokenKind.DEVICE)), SessionAuth()]


class LocationIn(Strict):
    lat: float = Field(..., ge=-90, le=90)
    lon: float = Field(..., ge=-180, le=180)
    accuracy_m: float | None = Field(None, ge=0, le=100_000)


class PunchIn(Strict):
    at: Moment | None = Field(None, description="RFC 3339 with offset; default now; up to 24 h back")
    location: LocationIn | None = None


class ShiftOut(Schema):
    id: int
    user_id: int
    started_at: dt.datetime
    ended_at: dt.datetime | None
    started_via: str
    ended_via: str
    closed_automatically: bool
    start_location: dict | None
    end_location: dict | None
    correction_reason: str

    @staticmethod
    def of(shift: Shift) -> "ShiftOut":
        def loc(prefix):
            lat = getattr(shift, f"{prefix}_lat")
            if lat is None:
                return None
            return {
                "lat": lat,
                "lon": getattr(shift, f"{prefix}_lon"),
                "accuracy_m": getattr(shift, f"{prefix}_accuracy_m"),
            }

        return ShiftOut(
            id=shift.pk,
            user_id=shift.user_id,
            started_at=shift.started_at,
            ended_at=shift.ended_at,
            started_via=shift.started_via,
            ended_via=shift.ended_via,
            closed_automatically=shift.closed_automatically,
            start_location=loc("start"),
            end_location=loc("end"),
            correction_reason=shift.correction_reason,
        )


class OnShiftOut(Schema):
    member_id: int
    user_id: int
    full_name: str
    on_shift: bool
    since: dt.datetime | None


class CorrectionIn(Strict):
    started_at: Moment
    ended_at: Moment | None = None
    reason: str = Field(..., min_length=3, max_length=300)


FORMS = ("multipart/form-data", "application/x-www-form-urlencoded")


def _optional_body(request) -> "PunchIn | None":
    """The protocol's body is optional: an empty POST punches now, without location. (Ninja
    cannot declare an optional JSON body, so it is read here, with the same error shape.)"""
    if not json_body.is_json(request.content_type):
        # An empty POST of any kind punches now: no body, or a form with nothing in it.
        if not json_body.content_length(request):
            return None
        if request.content_type in FORMS and not (request.POST or request.FILES):
            return None
        raise json_body.unsupported(request.content_type)
    data = json_body.read(request)
    if data is None:
        return None
    try:
        return PunchIn.model_validate(data)
    except PydanticError as exc:
        raise ValidationError(
            [{"loc": e["loc"], "msg": e["msg"], "type": e["type"]} for e in exc.errors()]
        ) from None


PUNCH_DOC = request_body(PunchIn, required=False)


def _via(request) -> str:
    token = getattr(request, "api_token", None)
    if token is None:
        return ShiftSource.WEB
    return ShiftSource.DEVICE if token.kind == TokenKind.DEVICE else ShiftSource.API


def _location(payload: PunchIn | None):
    if payload is None or payload.location is None:
        return None
    loc = payload.location
    return actions.Location(lat=loc.lat, lon=loc.lon, accuracy_m=loc.accuracy_m)


@router.post(
    "/attendance/punch-in",
    auth=PUNCH_AUTH,
    response={200: ShiftOut, 201: ShiftOut},
    summary="Open a shift (201); if one is open already, that one (200)",
    openapi_extra=PUNCH_DOC,
)
def punch_in(request):
    payload = _optional_body(request)
    shift, created = actions.punch_in(
        request.membership,
        actor=Actor.from_request(request),
        at=payload.at if payload else None,
        location=_location(payload),
        via=_via(request),
    )
    return Status(201 if created else 200, ShiftOut.of(shift))


@router.post(
    "/attendance/punch-out",
    auth=PUNCH_AUTH,
    response=ShiftOut,
    summary="Close the open shift; 409 when none is open",
    openapi_extra=PUNCH_DOC,
)
def punch_out(request):
    payload = _optional_body(request)
    shift = actions.punch_out(
        request.membership,
        actor=Actor.from_request(request),
        at=payload.at if payload else None,
        location=_location(payload),
        via=_via(request),
    )
    return ShiftOut.of(shift)


@router.get("/attendance/shift", auth=PUNCH_AUTH, response=ShiftOut | None, summary="The caller's open shift")
def current_shift(request):
    shift = actions.open_shift(request.membership)
    return ShiftOut.of(shift) if shift else None


@router.get("/attendance/on-shift", response=list[OnShiftOut], summary="Who is on shift now (team or all)")
def on_shift(request):
    require_role(request, Role.MANAGER)
    return [
        OnShiftOut(
            member_id=r["member"].pk,
            user_id=r["member"].user_id,
            full_name=r["member"].user.full_name,
            on_shift=r["shift"] is not None,
            since=r["shift"].started_at if r["shift"] else None,
        )
        for r in selectors.on_shift_now(request.membership)
    ]


@router.get(
    "/attendance/shifts",
    auth=PUNCH_AUTH,
    response=list[ShiftOut],
    summary="Shifts overlapping a period (a phone: its own person's only)",
)
def list_shifts(request, start: dt.datetime, end: dt.datetime, user_id: int | None = None):
    if end <= start or end - start > dt.timedelta(days=93):
        raise HttpError(400, gettext("end must be after start, at most 93 days later"))
    token = getattr(request, "api_token", None)
    if token is not None and token.kind == TokenKind.DEVICE:
        # A phone learns its person's shifts (punched on the web while it was off) so that it
        # sends the calls made in them; never a colleague's, whatever the person's role.
        user_id = request.membership.user_id
    rows = selectors.shifts_between(request.membership, start, end, user_id)[:5000]
    return [ShiftOut.of(s) for s in rows]


@router.patch("/attendance/shifts/{shift_id}", response=ShiftOut, summary="Correct a shift, saying why")
def correct_shift(request, shift_id: int, payload: CorrectionIn):
    shift = selectors.get_shift(request.membership, shift_id)
    return ShiftOut.of(
        actions.correct_shift(
            shift,
            started_at=payload.started_at,
            ended_at=payload.ended_at,
            reason=payload.reason,
            actor=Actor.from_request(request),
            by=request.membership,
        )
    )
