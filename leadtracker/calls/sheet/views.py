"""The outcome sheet's pages: for a lead (from the queue or the lead's page) and for a call."""

import secrets

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from leadtracker.accounts.audit import Actor
from leadtracker.accounts.decorators import member_required
from leadtracker.calls import selectors
from leadtracker.calls.actions import NextFollowUp
from leadtracker.calls.sheet.actions import SheetData, save_sheet
from leadtracker.calls.sheet.forms import PICK, SheetForm
from leadtracker.calls.sheet.times import quick_chips
from leadtracker.leads.selectors import get_lead
from leadtracker.lib.errors import ActionError
from leadtracker.lib.web import safe_back, show_action_error


def sheet_form(request, data=None, **initial) -> SheetForm:
    """The sheet's form, bound to ``data`` (a POST) or fresh with a new one-time key (and
    ``initial``: a call's outcome and note recorded before)."""
    outcomes = list(selectors.outcomes(request.org.pk))
    initial = None if data is not None else {"key": secrets.token_urlsafe(18), **initial}
    return SheetForm(data, initial=initial, outcomes=outcomes, now=timezone.now(), tz=request.org.tzinfo)


def sheet_context(request, form: SheetForm, action: str, *, can_plan: bool = True, back: str = "") -> dict:
    """What templates/calls/_sheet.html needs."""
    chosen = str(form["outcome"].value() or "")
    return {
        "sheet": form,
        "sheet_action": action,
        "sheet_outcomes": [(o, str(o.pk) == chosen) for o in form.outcomes],
        "sheet_chips": quick_chips(form.now, form.tz) if can_plan else [],
        "sheet_can_plan": can_plan,
        "sheet_back": back,
        "sheet_pick": PICK,
    }


def _data(form: SheetForm) -> SheetData:
    d = form.cleaned_data
    follow_up = None
    if d.get("due_at"):
        follow_up = NextFollowUp(due_at=d["due_at"], kind=d.get("follow_up_kind") or "call")
    return SheetData(
        outcome_id=d["outcome"],
        note=d.get("note") or "",
        follow_up=follow_up,
        key=d.get("key") or "",
        # A name typed in says "make the lead" as plainly as the box does.
        create_lead=bool(d.get("create_lead") or (d.get("name") or "").strip()),
        name=d.get("name") or "",
        company=d.get("company") or "",
    )


def _saved_message(request, form: SheetForm) -> None:
    name = dict(form.fields["outcome"].choices).get(form.cleaned_data["outcome"], _("Outcome"))
    messages.success(request, _("Saved: %(outcome)s.") % {"outcome": name})


def _saved(request, form: SheetForm, fallback: str, **target):
    """On a valid post, the sheet saved for its ``target`` (lead= or call=) and the redirect back
    (to ``fallback`` without a safe back); else None: the page is shown, with why when refused."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        save_sheet(request.membership, data=_data(form), actor=Actor.from_request(request), **target)
    except ActionError as exc:
        show_action_error(form, exc)
        return None
    _saved_message(request, form)
    return redirect(safe_back(request, fallback))


def _page(request, context: dict, form: SheetForm):
    return render(request, "calls/sheet.html", context, status=422 if form.is_bound and form.errors else 200)


@member_required()
def outcome_sheet(request, lead_id):
    member = request.membership
    lead = get_lead(member, lead_id)
    form = sheet_form(request, request.POST if request.method == "POST" else None)
    back = request.POST.get("back") or request.GET.get("back", "")
    if saved := _saved(request, form, reverse("lead_detail", args=[lead.pk]), lead=lead):
        return saved
    context = {"lead": lead, "call": None} | sheet_context(
        request, form, reverse("outcome_sheet", args=[lead.pk]), back=back
    )
    return _page(request, context, form)


@member_required()
def call_outcome_sheet(request, call_id):
    member = request.membership
    call = selectors.call_shown(member, call_id, request.org.phone_region)
    form = sheet_form(
        request, request.POST if request.method == "POST" else None, outcome=call.outcome_id, note=call.note
    )
    back = request.POST.get("back") or request.GET.get("back", "")
    if saved := _saved(request, form, reverse("recent_calls"), call=call):
        return saved
    # A follow-up is planned on a lead: one the person may open, or one made from the call here.
    can_plan = bool(call.lead_id and call.lead_visible) or call.can_make_lead
    context = {"lead": call.lead if call.lead_visible else None, "call": call} | sheet_context(
        request, form, reverse("call_outcome_sheet", args=[call.pk]), can_plan=can_plan, back=back
    )
    return _page(request, context, form)
