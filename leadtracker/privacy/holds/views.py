"""Pages: the legal holds (list, place, release). Admins and owners."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from leadtracker.accounts.audit import Actor
from leadtracker.accounts.decorators import member_required
from leadtracker.accounts.models import Role
from leadtracker.lib.errors import ActionError
from leadtracker.lib.phones import InvalidPhone
from leadtracker.lib.web import refusal_text
from leadtracker.privacy import selectors
from leadtracker.privacy.holds import actions as holds
from leadtracker.privacy.models import LegalHold

# A refusal names its field by the label the page shows (lib/web.refusal_text), not its code name.
LABELS = {
    "lead_contact": gettext_lazy("Lead's number or e-mail"),
    "member": gettext_lazy("Member"),
    "reason": gettext_lazy("Reason"),
}


@member_required(Role.ADMIN)
def legal_holds(request):
    org = request.org
    error = None
    form = request.POST if request.method == "POST" else {}
    if request.method == "POST":
        contact = form.get("lead_contact", "").strip()
        member_id = form.get("member", "").strip()
        lead = member = None
        try:
            if contact and member_id:
                raise ActionError(_("name a lead or a member, not both"), field="lead_contact")
            if contact:
                try:
                    lead = (
                        selectors.lead_by_email(org, contact)
                        if "@" in contact
                        else selectors.lead_by_phone(org, contact)
                    )
                except InvalidPhone as exc:
                    raise ActionError(str(exc), field="lead_contact") from None
                if lead is None:
                    raise ActionError(
                        _("no lead of this organisation has this number or e-mail"), field="lead_contact"
                    )
            elif member_id:
                member = selectors.member_in(org.pk, int(member_id)) if member_id.isdigit() else None
                if member is None:
                    raise ActionError(_("no such member"), field="member")
            hold = holds.create_hold(
                org,
                actor=Actor.from_request(request),
                by=request.membership,
                reason=form.get("reason", ""),
                lead=lead,
                member=member,
            )
        except ActionError as exc:
            error = exc
            if exc.field == "subject":
                error.field = "lead_contact"
        else:
            messages.success(
                request,
                _("Legal hold #%(number)s placed: erasure is blocked until it is released.")
                % {"number": hold.pk},
            )
            return redirect("privacy_holds")
    return render(
        request,
        "privacy/holds.html",
        {
            "rows": list(selectors.legal_holds(org.pk)[:500]),
            "members": selectors.members(org.pk),
            "form": form,
            "error": error,
            "refusal": refusal_text(LABELS, error) if error else "",
        },
        status=(error.status_code if error.status_code == 403 else 400) if error else 200,
    )


@require_POST
@member_required(Role.ADMIN)
def release_hold(request, hold_id):
    try:
        hold = selectors.legal_hold(request.org.pk, hold_id)
    except LegalHold.DoesNotExist:
        raise Http404 from None
    try:
        holds.release_hold(hold, actor=Actor.from_request(request), by=request.membership)
    except ActionError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Legal hold #%(number)s released.") % {"number": hold.pk})
    return redirect("privacy_holds")
