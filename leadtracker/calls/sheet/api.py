"""The outcome sheet over the API: what the web sheet saves, for the phone's prompt after a call
and for other clients. Mounted on the calls router (calls/api.py)."""

from django.utils import timezone
from django.utils.translation import gettext
from ninja import Router, Schema
from pydantic import Field, model_validator

from leadtracker.accounts.audit import Actor
from leadtracker.accounts.auth import BearerAuth, SessionAuth
from leadtracker.accounts.models import TokenKind
from leadtracker.calls import selectors
from leadtracker.calls.actions import NextFollowUp
from leadtracker.calls.sheet.actions import SheetData, save_sheet
from leadtracker.calls.sheet.times import QUICK, quick_times
from leadtracker.leads.selectors import get_lead
from leadtracker.lib.errors import ActionError
from leadtracker.lib.schema import Moment, Strict

router = Router(tags=["calls"])
PERSON_OR_DEVICE = [BearerAuth(kinds=(TokenKind.PERSONAL, TokenKind.DEVICE)), SessionAuth()]


class SheetFollowUp(Strict):
    due_at: Moment | None = Field(None, description="when; or give quick")
    quick: str | None = Field(
        None, pattern=f"^({'|'.join(QUICK)})$", description="a quick time, in the organisation's zone"
    )
    kind: str = Field("call", pattern="^(call|meeting|visit|whatsapp)$")

    @model_validator(mode="after")
    def one_of(self):
        if (self.due_at is None) == (self.quick is None):
            raise ValueError("give due_at or quick, not both")
        return self


class SheetIn(Strict):
    outcome_id: int
    note: str = Field("", max_length=2000)
    follow_up: SheetFollowUp | None = None
    key: str = Field("", max_length=40, description="one per sheet: the same key sent again saves nothing")
    create_lead: bool = Field(False, description="a call from a number that is no lead: make its lead")
    name: str = Field("", max_length=200)
    company: str = Field("", max_length=200)


class SheetOut(Schema):
    call_id: int
    lead_id: int | None
    outcome_id: int | None
    saved: bool = Field(..., description="false: this key was saved before, nothing changed")


def _data(request, payload: SheetIn) -> SheetData:
    follow_up = None
    if payload.follow_up is not None:
        due_at = payload.follow_up.due_at
        if payload.follow_up.quick:
            due_at = quick_times(timezone.now(), request.membership.organisation.tzinfo).get(
                payload.follow_up.quick
            )
            if due_at is None:
                raise ActionError(
                    gettext("that quick time has passed: choose another"), field="follow_up.quick"
                )
        follow_up = NextFollowUp(due_at=due_at, kind=payload.follow_up.kind)
    return SheetData(
        outcome_id=payload.outcome_id,
        note=payload.note,
        follow_up=follow_up,
        key=payload.key,
        create_lead=payload.create_lead,
        name=payload.name,
        company=payload.company,
    )


def _answer(call, saved: bool) -> SheetOut:
    return SheetOut(call_id=call.pk, lead_id=call.lead_id, outcome_id=call.outcome_id, saved=saved)


@router.post(
    "/calls/{call_id}/sheet",
    auth=PERSON_OR_DEVICE,
    response=SheetOut,
    summary="Save the outcome sheet of a call: outcome, note, the lead's status and one next follow-up",
)
def call_sheet(request, call_id: int, payload: SheetIn):
    member = request.membership
    call = selectors.get_call(member, call_id)
    selectors.mark_visible_leads(member, [call])
    data, actor = _data(request, payload), Actor.from_request(request)
    saved_call, saved = save_sheet(member, data=data, actor=actor, call=call)
    return _answer(saved_call, saved)


@router.post(
    "/leads/{lead_id}/sheet",
    auth=PERSON_OR_DEVICE,
    response=SheetOut,
    summary="Save the outcome sheet of a lead (its call of the last two hours, else a call logged now)",
)
def lead_sheet(request, lead_id: int, payload: SheetIn):
    member = request.membership
    lead = get_lead(member, lead_id)
    data, actor = _data(request, payload), Actor.from_request(request)
    saved_call, saved = save_sheet(member, data=data, actor=actor, lead=lead)
    return _answer(saved_call, saved)
