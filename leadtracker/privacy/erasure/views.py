"""Pages: erasing the person of an erasure request or a member who left (what would change,
then a typed confirmation). Admins and owners."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from leadtracker.accounts.audit import Actor
from leadtracker.accounts.decorators import member_required
from leadtracker.accounts.models import Role
from leadtracker.lib.errors import ActionError
from leadtracker.lib.web import refusal_text
from leadtracker.privacy import selectors
from leadtracker.privacy.erasure import actions as erasure
from leadtracker.privacy.models import DataRequest

# Typed by the admin: erasure cannot be undone, so a slip of the thumb must not do it.
CONFIRM_WORD = "ERASE"


def _erase_page(request, *, lead, member, req=None, back, trashed=None):
    """GET: what would change, and the form; POST: erase when the word was typed. ``trashed``:
    the lead is in the trash (``lead`` and ``member`` are None)."""
    error = None
    if request.method == "POST":
        if request.POST.get("confirm", "").strip() != CONFIRM_WORD:
            error = ActionError(_("type %(word)s to confirm") % {"word": CONFIRM_WORD}, field="confirm")
        else:
            actor = Actor.from_request(request)
            try:
                if trashed is not None:
                    counts = erasure.erase_trashed_lead(
                        trashed, actor=actor, by=request.membership, data_request=req
                    )
                elif lead is not None:
                    counts = erasure.erase_lead(lead, actor=actor, by=request.membership, data_request=req)
                else:
                    counts = erasure.erase_member(
                        member, actor=actor, by=request.membership, data_request=req
                    )
            except ActionError as exc:
                error = exc
            else:
                messages.success(
                    request,
                    _("Erased: %(n)s changes. The ledger has the entry.") % {"n": sum(counts.values())},
                )
                return redirect(back)
    if trashed is not None:
        hold, counts = None, erasure.trashed_lead_erasure_preview(trashed)
    else:
        hold = selectors.active_hold(request.org, lead=lead, member=member)
        counts = (
            erasure.lead_erasure_preview(lead) if lead is not None else erasure.member_erasure_preview(member)
        )
    status = 200
    if error is not None:
        status = error.status_code if error.status_code in (403, 409) else 400
    return render(
        request,
        "privacy/erase.html",
        {
            "lead": lead or trashed,
            "trashed": trashed,
            "member": member,
            "req": req,
            "counts": sorted(counts.items()),
            "hold": hold,
            "error": error,
            # The reason alone: the page's one field is the typed word, and its label says what
            # the reason says; the actions' other fields (legal_hold, data_request) are not on it.
            "refusal": refusal_text(None, error) if error else "",
            "confirm_word": CONFIRM_WORD,
            "back": back,
        },
        status=status,
    )


@member_required(Role.ADMIN)
def erase_for_request(request, request_id):
    try:
        req = selectors.data_request(request.org.pk, request_id)
    except DataRequest.DoesNotExist:
        raise Http404 from None
    back = f"/settings/privacy/requests/{req.pk}/"
    # A request whose lead was moved to the trash points at nothing now; the trash knows it.
    trashed = selectors.trashed_lead_of_request(req) if req.kind == "erasure" else None
    if (
        req.kind != "erasure"
        or req.is_closed
        or (req.lead is None and req.member is None and trashed is None)
    ):
        messages.error(
            request, _("Only an open erasure request about a person still held can be carried out.")
        )
        return redirect(back)
    return _erase_page(request, lead=req.lead, member=req.member, req=req, back=back, trashed=trashed)


@member_required(Role.ADMIN)
def erase_member(request, member_id):
    member = selectors.member_in(request.org.pk, member_id)
    if member is None:
        raise Http404
    return _erase_page(request, lead=None, member=member, back=f"/members/{member.pk}/")
