"""A follow-up from the web: done, changed or cancelled."""

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from leadtracker.accounts.audit import Actor
from leadtracker.accounts.decorators import member_required
from leadtracker.leads import selectors
from leadtracker.leads.actions.follow_ups import cancel_follow_up, complete_follow_up, update_follow_up
from leadtracker.leads.forms import CancelForm, FollowUpEditForm
from leadtracker.lib.errors import ActionError
from leadtracker.lib.web import form_refusal, refusal_text, safe_back


@require_POST
@member_required()
def follow_up_done(request, follow_up_id):
    fu = selectors.get_follow_up(request.membership, follow_up_id)
    outcome = request.POST.get("outcome", "")
    try:
        complete_follow_up(fu, outcome=outcome, actor=Actor.from_request(request), by=request.membership)
    except ActionError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Follow-up done."))
    return redirect(safe_back(request, reverse("lead_detail", args=[fu.lead_id])))


@require_POST
@member_required()
def follow_up_edit(request, follow_up_id):
    fu = selectors.get_follow_up(request.membership, follow_up_id)
    back = redirect(safe_back(request, reverse("lead_detail", args=[fu.lead_id])))
    form = FollowUpEditForm(request.POST)
    if not form.is_valid():
        messages.error(request, form_refusal(form))
        return back
    data = form.cleaned_data
    due = data["due_at"]
    if timezone.is_naive(due):
        due = due.replace(tzinfo=request.org.tzinfo)
    fields = {
        "due_at": due,
        "kind": data["kind"],
        "note": data["note"],
        "remind_minutes_before": data["remind_minutes_before"],
    }
    if data["assignee"]:
        fields["assignee_id"] = data["assignee"]
    try:
        update_follow_up(fu, actor=Actor.from_request(request), by=request.membership, **fields)
    except ActionError as exc:
        messages.error(request, refusal_text(form, exc))
    else:
        messages.success(request, _("Follow-up changed."))
    return back


@require_POST
@member_required()
def follow_up_cancel(request, follow_up_id):
    fu = selectors.get_follow_up(request.membership, follow_up_id)
    form = CancelForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        cancel_follow_up(fu, reason=reason, actor=Actor.from_request(request), by=request.membership)
    except ActionError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Follow-up cancelled."))
    return redirect(safe_back(request, reverse("lead_detail", args=[fu.lead_id])))
