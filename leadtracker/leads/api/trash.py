"""/api/v1/leads/trash — deleted leads waiting 30 days to be purged: list, restore, empty one.

Deleting itself stays where it was (``DELETE /leads/{id}``, ``POST /leads/bulk`` with
``delete``); it moves leads here."""

import datetime as dt

from django.utils import timezone
from ninja import Schema, Status
from pydantic import Field

from leadtracker.accounts.audit import Actor
from leadtracker.accounts.models import Role
from leadtracker.leads.api.schemas import LeadOut, with_related
from leadtracker.leads.selectors import leads_for
from leadtracker.leads.trash import actions, selectors
from leadtracker.lib.pagination import keyset_sorted
from leadtracker.lib.router import Router
from leadtracker.lib.schema import require_role

router = Router(ids_of="leadtracker.leads.trash.api", tags=["leads"])


class TrashedOut(Schema):
    id: int = Field(description="the lead's own id; restoring brings the lead back under it")
    name: str
    phones: list[str]
    email: str
    owner_id: int | None
    deleted_at: dt.datetime
    deleted_by_id: int | None
    purge_after: dt.datetime
    days_left: int

    @staticmethod
    def of(t, now) -> "TrashedOut":
        return TrashedOut(
            id=t.pk,
            name=t.name,
            # Agents see only leads they own in the trash, so no number here is masked.
            phones=t.number_list,
            email=t.email,
            owner_id=t.owner_id,
            deleted_at=t.deleted_at,
            deleted_by_id=t.deleted_by_id,
            purge_after=t.purge_after,
            days_left=selectors.days_left(t, now),
        )


class TrashPage(Schema):
    items: list[TrashedOut]
    next_cursor: str | None


class RestoredOut(Schema):
    lead: LeadOut
    numbers_on_other_lead: list[str] = Field(
        description="numbers another lead took while this one was in the trash: left off it"
    )
    email_on_other_lead: str = Field(description="the e-mail, when another lead took it meanwhile: left off")
    left_out: dict[str, int] = Field(
        description="rows that did not come back, per kind: what they needed is gone (a deleted tag, a "
        "purged call) or the database refused them now"
    )


@router.get(
    "/leads/trash",
    response=TrashPage,
    summary="Deleted leads the caller may see, newest first, until the nightly job purges them",
)
def list_trash(request, cursor: str | None = None, limit: int = 50):
    qs = selectors.trash_for(request.membership).only(
        "id", "name", "numbers", "email", "owner_id", "deleted_at", "deleted_by_id", "purge_after"
    )
    rows, next_cursor = keyset_sorted(
        qs, field="deleted_at", descending=True, cursor=cursor, limit=limit, parse=dt.datetime.fromisoformat
    )
    now = timezone.now()
    return TrashPage(items=[TrashedOut.of(t, now) for t in rows], next_cursor=next_cursor)


@router.post(
    "/leads/trash/{trashed_id}/restore",
    response=RestoredOut,
    summary="Bring a lead back from the trash under its own id, with its numbers, timeline and calls",
)
def restore(request, trashed_id: int):
    trashed = selectors.get_trashed(request.membership, trashed_id)
    result = actions.restore_lead(trashed, actor=Actor.from_request(request), by=request.membership)
    # Whoever sees it in the trash sees it restored: both go by the same owner.
    lead = with_related(leads_for(request.membership)).get(pk=result.lead.pk)
    return RestoredOut(
        lead=LeadOut.of(lead),
        numbers_on_other_lead=result.numbers_on_other_lead,
        email_on_other_lead=result.email_on_other_lead,
        left_out=result.left_out,
    )


@router.delete(
    "/leads/trash/{trashed_id}",
    response={204: None},
    summary="Delete a lead in the trash for good now (admins and owners)",
)
def delete_forever(request, trashed_id: int):
    by = require_role(request, Role.ADMIN)
    actions.delete_forever(selectors.get_trashed(by, trashed_id), actor=Actor.from_request(request), by=by)
    return Status(204, None)
