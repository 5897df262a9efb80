"""Erasing a lead, a lead in the trash, or a member who left; and what erasing would change."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from leadtracker.accounts import audit
from leadtracker.accounts.models import Membership, Role
from leadtracker.leads.models import Lead, TrashedLead
from leadtracker.lib.errors import ActionError, Conflict
from leadtracker.lib.formats import day
from leadtracker.privacy.erasure import ledger
from leadtracker.privacy.erasure.erasers import run
from leadtracker.privacy.erasure.target import lead_target, member_target, trashed_lead_target
from leadtracker.privacy.models import RequestKind
from leadtracker.privacy.requests.actions import update_request
from leadtracker.privacy.selectors import active_hold

# --- who may erase, and what holds it back ----------------------------------------------------


def _check_eraser(by: Membership | None, org) -> None:
    if by is None:
        return  # the command line and replays: the operator of the server
    if by.organisation_id != org.pk or not by.has_role(Role.ADMIN):
        raise ActionError(
            _("only admins and owners can erase personal data"), field="member", status_code=403
        )


def _refuse_if_held(org, *, lead=None, member=None) -> None:
    hold = active_hold(org, lead=lead, member=member)
    if hold is not None:
        raise Conflict(
            _("under legal hold #%(hold)s (%(since)s); release the hold before erasing")
            % {"hold": hold.pk, "since": day(hold.created_at)},
            field="legal_hold",
        )


# --- the actions ------------------------------------------------------------------------------


def lead_erasure_preview(lead) -> dict[str, int]:
    """What erasing this lead would change, counted per kind; nothing is written."""
    return run(lead_target(lead, dry_run=True))


def trashed_lead_erasure_preview(trashed) -> dict[str, int]:
    return run(trashed_lead_target(trashed, dry_run=True))


def member_erasure_preview(member) -> dict[str, int]:
    return run(member_target(member, dry_run=True))


def _close_request(data_request, *, actor, kind, counts, now) -> None:
    if data_request is None:
        return
    if data_request.kind != RequestKind.ERASURE:
        raise ActionError(_("this is not an erasure request"), field="data_request")
    if data_request.is_closed:
        raise Conflict(_("the request is already closed"), field="data_request")
    what = ", ".join(f"{k.replace('_', ' ')}: {v}" for k, v in sorted(counts.items())) or "nothing held"
    update_request(
        data_request,
        actor=actor,
        status="done",
        outcome=f"The {kind}'s personal data was erased on {now:%d %b %Y} ({what}).",
        now=now,
    )


def erase_lead(
    lead,
    *,
    actor: audit.Actor,
    by: Membership | None = None,
    data_request=None,
    ledger_entry=True,
    held_ok=False,
    now=None,
) -> dict[str, int]:
    """Erase a lead's personal data (see the module's docstring); refused under a legal hold.
    Writes the ledger (unless replaying one) and closes ``data_request`` as done. Returns
    the counts per kind. ``held_ok`` is for replays only: that erasure already happened."""
    org = lead.organisation
    _check_eraser(by, org)
    now = now or timezone.now()
    with transaction.atomic():
        lead = Lead.objects.select_for_update().select_related("organisation").get(pk=lead.pk)
        if not held_ok:
            _refuse_if_held(org, lead=lead)
        if data_request is not None and data_request.lead_id != lead.pk:
            raise ActionError(_("the request is about someone else"), field="data_request")
        return _erase(
            org,
            lead_target(lead, now=now),
            kind="lead",
            obj=lead,
            actor=actor,
            data_request=data_request,
            ledger_entry=ledger_entry,
            now=now,
        )


def erase_trashed_lead(
    trashed,
    *,
    actor: audit.Actor,
    by: Membership | None = None,
    data_request=None,
    ledger_entry=True,
    now=None,
) -> dict[str, int]:
    """Erase a lead that is in the trash: as ``erase_lead``, except that its own rows are in the
    trash entry, which goes whole (nothing of it is kept: the lead already left the counts when
    it was trashed). Calls and call-backs with its numbers, the rows that pointed at it, audit
    events, notifications, jobs and import files are erased as for a live lead. No legal hold
    can be on it: a lead under one cannot be trashed."""
    org = trashed.organisation
    _check_eraser(by, org)
    now = now or timezone.now()
    with transaction.atomic():
        trashed = TrashedLead.objects.select_for_update().select_related("organisation").get(pk=trashed.pk)
        target = trashed_lead_target(trashed, now=now)
        if data_request is not None and target.linked.get("privacy.datarequest", set()).isdisjoint(
            {data_request.pk}
        ):
            raise ActionError(_("the request is about someone else"), field="data_request")
        return _erase(
            org,
            target,
            kind="lead",
            obj=target.lead,
            actor=actor,
            data_request=data_request,
            ledger_entry=ledger_entry,
            now=now,
        )


def erase_member(
    member,
    *,
    actor: audit.Actor,
    by: Membership | None = None,
    data_request=None,
    ledger_entry=True,
    held_ok=False,
    now=None,
) -> dict[str, int]:
    """A member who left: membership deactivated, profile anonymised (when no other
    organisation still has them), shift locations removed, devices and tokens revoked."""
    org = member.organisation
    _check_eraser(by, org)
    if by is not None and by.pk == member.pk:
        raise ActionError(_("you cannot erase yourself; ask another admin"), field="member")
    if by is not None and member.role == Role.OWNER and by.role != Role.OWNER:
        raise ActionError(_("only an owner can erase an owner"), field="member", status_code=403)
    now = now or timezone.now()
    with transaction.atomic():
        member = (
            Membership.objects.select_for_update().select_related("organisation", "user").get(pk=member.pk)
        )
        if not held_ok:
            _refuse_if_held(org, member=member)
        if data_request is not None and data_request.member_id != member.pk:
            raise ActionError(_("the request is about someone else"), field="data_request")
        return _erase(
            org,
            member_target(member, now=now),
            kind="member",
            obj=member,
            actor=actor,
            data_request=data_request,
            ledger_entry=ledger_entry,
            now=now,
        )


def _erase(org, target, *, kind, obj, actor, data_request, ledger_entry, now) -> dict[str, int]:
    """The common part of both erasures, inside their transaction: hash the identifiers while
    they still exist, erase, write the ledger entry and the audit event, close the request."""
    hashes = ledger.hashes_of(phones=target.phones, emails=target.emails)
    counts = run(target)
    record = None
    if ledger_entry:
        record = ledger.record_erasure(
            org,
            kind=kind,
            hashes=hashes,
            actor_user=actor.user,
            data_request=data_request,
            counts=counts,
            now=now,
        )
    audit.record(
        f"{kind}.erased",
        organisation=org,
        actor=actor,
        obj=obj,
        changes={"counts": counts, "erasure_id": record.pk if record else None, "replay": not ledger_entry},
    )
    _close_request(data_request, actor=actor, kind=kind, counts=counts, now=now)
    return counts
