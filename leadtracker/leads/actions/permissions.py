"""Who may change a lead, and to whom a lead may be given: the checks the actions start with."""

from django.utils.translation import gettext as _

from leadtracker.accounts.models import Membership, Role
from leadtracker.leads.models import Lead
from leadtracker.leads.selectors import can_assign_to, leads_for
from leadtracker.lib.errors import ActionError


def check_owner(by: Membership | None, owner_id: int | None, org_id: int, field: str = "owner") -> None:
    if owner_id is None:
        return
    if not Membership.objects.filter(organisation_id=org_id, user_id=owner_id, is_active=True).exists():
        # Someone from elsewhere (or nobody): as unknown as another organisation's lead.
        raise ActionError(_("no such active member in this organisation"), field=field, status_code=404)
    if by is not None and not can_assign_to(by, owner_id):
        raise ActionError(_("you cannot give a lead to that person"), field=field, status_code=403)


def _may_change(by: Membership, lead: Lead) -> bool:
    if not leads_for(by).filter(pk=lead.pk).exists():
        return False
    return by.role != Role.AGENT or lead.owner_id == by.user_id


def _check_can_edit(lead: Lead, by: Membership | None, *, adds: bool = True) -> None:
    """``adds``: the change adds to what is known of the lead (a note, a follow-up, details),
    which nobody may do once it is erased; moving it between statuses (for the reports) may be."""
    if adds and by is not None and lead.erased_at is not None:
        # Its personal data went for good: a note made offline before the erasure and sent after
        # it is refused, and the phone shows why.
        raise ActionError(
            _("this lead was erased: nothing can be added to it"), field="lead", status_code=409
        )
    if by is None or by.role != Role.AGENT:
        return  # managers and admins reach only leads visibility lets them load
    if lead.owner_id != by.user_id:
        raise ActionError(_("agents can change only their own leads"), field="lead", status_code=403)
