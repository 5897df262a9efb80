"""Legal holds: placing one (with a written reason) and releasing it (the reads are in
selectors.py).

While a hold is unreleased, its lead or member cannot be erased and the retention purge keeps
their calls and shift locations (retention/purge.py)."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from leadtracker.accounts import audit
from leadtracker.accounts.models import Membership, Role
from leadtracker.lib.errors import ActionError, Conflict
from leadtracker.privacy.models import LegalHold

REASON_MAX = 2000


def _check_admin(by: Membership | None, org) -> None:
    if by is not None and (by.organisation_id != org.pk or not by.has_role(Role.ADMIN)):
        raise ActionError(
            _("only admins and owners can place or release legal holds"), field="member", status_code=403
        )


def create_hold(
    org, *, actor: audit.Actor, by: Membership | None, reason: str, lead=None, member=None
) -> LegalHold:
    _check_admin(by, org)
    if (lead is None) == (member is None):
        raise ActionError(_("a hold is on one lead or one member"), field="subject")
    for subject in (lead, member):
        if subject is not None and subject.organisation_id != org.pk:
            raise ActionError(_("not found"), field="subject", status_code=404)
    reason = (reason or "").strip()
    if not reason:
        raise ActionError(_("say why the data must be kept (a dispute, an investigation …)"), field="reason")
    if len(reason) > REASON_MAX:
        raise ActionError(_("at most %(n)s characters") % {"n": REASON_MAX}, field="reason")
    if "\x00" in reason:
        raise ActionError(_("must not contain NUL characters"), field="reason")
    with transaction.atomic():
        hold = LegalHold.objects.create(
            organisation=org, lead=lead, member=member, reason=reason, created_by=actor.user
        )
        audit.record(
            "legal_hold.created",
            organisation=org,
            actor=actor,
            obj=hold,
            changes={"lead_id": hold.lead_id, "member_id": hold.member_id},
        )
    return hold


def release_hold(hold: LegalHold, *, actor: audit.Actor, by: Membership | None, now=None) -> LegalHold:
    _check_admin(by, hold.organisation)
    with transaction.atomic():
        locked = LegalHold.objects.select_for_update().select_related("organisation").get(pk=hold.pk)
        if locked.released_at is not None:
            raise Conflict(_("this hold was already released"), field="hold")
        locked.released_at = now or timezone.now()
        locked.save(update_fields=["released_at"])
        audit.record(
            "legal_hold.released",
            organisation=locked.organisation,
            actor=actor,
            obj=locked,
            changes={"lead_id": locked.lead_id, "member_id": locked.member_id},
        )
    return locked
