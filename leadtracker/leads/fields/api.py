"""/api/v1/fields: the organisation's custom fields for leads. Everyone reads those they work
with; admins make, change, archive and restore them."""

import datetime as dt

from ninja import Schema, Status
from pydantic import Field

from leadtracker.accounts.audit import Actor
from leadtracker.accounts.models import Role
from leadtracker.leads.fields import actions, selectors
from leadtracker.leads.fields.models import CustomField, FieldType
from leadtracker.lib.errors import found
from leadtracker.lib.router import Router
from leadtracker.lib.schema import Strict, require_role

router = Router(ids_of="leadtracker.leads.fields.api", tags=["fields"])

TYPES = " | ".join(FieldType.values)


class FieldOut(Schema):
    id: int
    key: str
    label: str
    type: str = Field(..., description=TYPES)
    choices: list[str]
    required: bool
    position: int
    section: str
    hidden_from_agents: bool
    archived_at: dt.datetime | None

    @staticmethod
    def of(f: CustomField) -> "FieldOut":
        return FieldOut(
            id=f.pk,
            key=f.key,
            label=f.label,
            type=f.type,
            choices=f.choices,
            required=f.required,
            position=f.position,
            section=f.section,
            hidden_from_agents=f.hidden_from_agents,
            archived_at=f.archived_at,
        )


class FieldIn(Strict):
    label: str = Field(..., max_length=100)
    type: str = Field(..., description=TYPES)
    key: str = Field("", max_length=40, description="made from the label when left out; fixed once made")
    choices: list[str] = Field(default_factory=list, max_length=200)
    required: bool = False
    position: int | None = Field(None, ge=0, le=100_000)
    section: str = Field("", max_length=60)
    hidden_from_agents: bool = False


class FieldPatch(Strict):
    label: str | None = Field(None, max_length=100)
    choices: list[str] | None = Field(None, max_length=200)
    required: bool | None = None
    position: int | None = Field(None, ge=0, le=100_000)
    section: str | None = Field(None, max_length=60)
    hidden_from_agents: bool | None = None


def _field(request, field_id: int) -> CustomField:
    # Looked up in the caller's organisation first: another organisation's id is a 404 for anyone.
    field = found(selectors.get_field, request.org.pk, field_id)
    require_role(request, Role.ADMIN)
    return field


@router.get("/fields", response=list[FieldOut], summary="Custom fields for leads, in order")
def list_fields(request, archived: bool = False):
    """Agents get the fields not hidden from them; ``archived=true`` adds archived ones."""
    return [FieldOut.of(f) for f in selectors.fields_for(request.membership, archived=archived)]


@router.post("/fields", response={201: FieldOut}, summary="Add a custom field (admins)")
def create_field(request, payload: FieldIn):
    require_role(request, Role.ADMIN)
    field = actions.create_field(request.org, **payload.model_dump(), actor=Actor.from_request(request))
    return Status(201, FieldOut.of(field))


@router.patch(
    "/fields/{field_id}",
    response=FieldOut,
    summary="Change a field's label, choices, order … (not key or type)",
)
def update_field(request, field_id: int, payload: FieldPatch):
    field = _field(request, field_id)
    changes = {k: v for k, v in payload.model_dump(exclude_unset=True).items() if v is not None}
    return FieldOut.of(actions.update_field(field, actor=Actor.from_request(request), **changes))


@router.post(
    "/fields/{field_id}/archive", response=FieldOut, summary="Archive a field; leads keep its values"
)
def archive_field(request, field_id: int):
    return FieldOut.of(actions.archive_field(_field(request, field_id), actor=Actor.from_request(request)))


@router.post("/fields/{field_id}/restore", response=FieldOut, summary="Bring an archived field back")
def restore_field(request, field_id: int):
    return FieldOut.of(actions.restore_field(_field(request, field_id), actor=Actor.from_request(request)))
