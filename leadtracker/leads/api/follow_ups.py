"""/api/v1/follow-ups and /api/v1/agenda: a follow-up done, moved or cancelled; the caller's agenda."""

from leadtracker.accounts.auth import BearerAuth, SessionAuth
from leadtracker.accounts.models import TokenKind
from leadtracker.leads import selectors
from leadtracker.leads.actions import follow_ups as follow_up_actions
from leadtracker.leads.api.lookups import actor_of
from leadtracker.leads.api.schemas import AgendaOut, CancelIn, DoneIn, FollowUpOut, FollowUpPatch
from leadtracker.leads.models import FollowUpKind
from leadtracker.lib.router import Router

router = Router(ids_of="leadtracker.leads.api", tags=["leads"])
# A paired phone reminds its person of their follow-ups (the agent's watch, for people without
# Web Push): the agenda only, read-only. Every other endpoint here keeps refusing device tokens.
AGENDA_AUTH = [BearerAuth(kinds=(TokenKind.PERSONAL, TokenKind.DEVICE)), SessionAuth()]


@router.post("/follow-ups/{follow_up_id}/done", response=FollowUpOut)
def follow_up_done(request, follow_up_id: int, payload: DoneIn):
    fu = selectors.get_follow_up(request.membership, follow_up_id)
    return FollowUpOut.of(
        follow_up_actions.complete_follow_up(
            fu, outcome=payload.outcome, actor=actor_of(request), by=request.membership
        )
    )


@router.patch(
    "/follow-ups/{follow_up_id}",
    response=FollowUpOut,
    summary="Change an open follow-up: when, kind, who, note, reminder (409 once done or cancelled)",
)
def update_follow_up(request, follow_up_id: int, payload: FollowUpPatch):
    fu = selectors.get_follow_up(request.membership, follow_up_id)
    fields = payload.model_dump(exclude_unset=True)
    if fields.get("kind") is not None:
        fields["kind"] = FollowUpKind(fields["kind"]).value
    fu = follow_up_actions.update_follow_up(fu, actor=actor_of(request), by=request.membership, **fields)
    return FollowUpOut.of(selectors.get_follow_up(request.membership, fu.pk))


@router.post(
    "/follow-ups/{follow_up_id}/cancel",
    response=FollowUpOut,
    summary="Call off a follow-up that will not happen (kept, marked cancelled with who and when)",
)
def cancel_follow_up(request, follow_up_id: int, payload: CancelIn):
    fu = selectors.get_follow_up(request.membership, follow_up_id)
    return FollowUpOut.of(
        follow_up_actions.cancel_follow_up(
            fu, reason=payload.reason, actor=actor_of(request), by=request.membership
        )
    )


@router.get(
    "/agenda",
    auth=AGENDA_AUTH,
    response=AgendaOut,
    summary="The caller's follow-ups: overdue, today, next 7 days (also with a paired phone's token)",
)
def agenda(request):
    items = selectors.agenda(request.membership, request.org.tzinfo)
    return AgendaOut(**{k: [FollowUpOut.of(f) for f in v] for k, v in items.items()})
