"""Web pages of the trash: moving a lead there from its page, the Trash list (/leads/trash/),
restoring, and (admins) deleting one for good before its 30 days are up."""

import datetime as dt

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from leadtracker.accounts.audit import Actor
from leadtracker.accounts.decorators import member_required
from leadtracker.accounts.models import Role
from leadtracker.leads import selectors as lead_selectors
from leadtracker.leads.models import Lead
from leadtracker.leads.trash import actions, selectors
from leadtracker.lib import confirm
from leadtracker.lib.errors import ActionError
from leadtracker.lib.pagination import keyset_sorted
from leadtracker.lib.phones import display

PAGE = 50


@require_POST
@member_required(Role.MANAGER)
def trash_lead(request, lead_id):
    lead = lead_selectors.get_lead(request.membership, lead_id)
    try:
        actions.trash_leads(
            Lead.objects.filter(pk=lead.pk), actor=Actor.from_request(request), by=request.membership
        )
    except ActionError as exc:
        messages.error(request, exc.message)
        return redirect("lead_detail", lead_id=lead.pk)
    messages.success(
        request,
        _("“%(lead)s” moved to the trash. It can be restored from Trash for %(days)s days.")
        % {"lead": lead, "days": actions.TRASH_DAYS},
    )
    return redirect("lead_list")


@member_required()
def trash_list(request):
    qs = selectors.trash_for(request.membership).select_related("deleted_by", "owner")
    try:
        rows, next_cursor = keyset_sorted(
            qs,
            field="deleted_at",
            descending=True,
            cursor=request.GET.get("cursor"),
            limit=PAGE,
            parse=dt.datetime.fromisoformat,
        )
    except ActionError:  # a cursor that was not ours: start at the top
        return redirect("lead_trash")
    now = timezone.now()
    for t in rows:
        t.days_left = selectors.days_left(t, now)
        t.shown_numbers = [display(n) for n in t.number_list]
    return render(
        request,
        "leads/trash.html",
        {
            "rows": rows,
            "next_cursor": next_cursor,
            "trash_days": actions.TRASH_DAYS,
            "may_delete_forever": request.membership.has_role(Role.ADMIN),
        },
    )


@require_POST
@member_required()
def restore(request, trashed_id):
    trashed = selectors.get_trashed(request.membership, trashed_id)
    try:
        result = actions.restore_lead(trashed, actor=Actor.from_request(request), by=request.membership)
    except ActionError as exc:
        messages.error(request, exc.message)
        return redirect("lead_trash")
    messages.success(
        request, _("“%(lead)s” is back, with its numbers, timeline and calls.") % {"lead": result.lead}
    )
    if result.numbers_on_other_lead or result.email_on_other_lead:
        taken = [display(n) for n in result.numbers_on_other_lead] + [result.email_on_other_lead] * bool(
            result.email_on_other_lead
        )
        messages.warning(
            request,
            _(
                "Another lead has taken %(taken)s meanwhile, so the restored lead is without it. "
                "Compare the two on Duplicates and merge them if they are one person."
            )
            % {"taken": ", ".join(taken)},
        )
    return redirect(reverse("lead_detail", args=[result.lead.pk]))


@require_POST
@member_required(Role.ADMIN)
def delete_forever(request, trashed_id):
    trashed = selectors.get_trashed(request.membership, trashed_id)
    # Restoring is no longer possible afterwards: ask first (moving to the trash does not ask).
    n = len(trashed.snapshot.get("rows", []))
    question = confirm.Question(
        title=_("Delete “%(lead)s” for good?") % {"lead": trashed},
        button=_("Delete forever"),
        cancel_url=reverse("lead_trash"),
        details=[
            ngettext(
                "%(n)s record kept with it in the trash (its numbers, timeline, follow-ups and consent "
                "history) goes at once, and it can no longer be restored.",
                "%(n)s records kept with it in the trash (its numbers, timeline, follow-ups and consent "
                "history) go at once, and it can no longer be restored.",
                n,
            )
            % {"n": n},
            _("Its calls stay, without a lead, as the work of whoever made them."),
        ],
    )
    if (answer := confirm.gate(request, question)) is not None:
        return answer
    try:
        actions.delete_forever(trashed, actor=Actor.from_request(request), by=request.membership)
    except ActionError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("“%(lead)s” deleted for good.") % {"lead": trashed})
    return redirect("lead_trash")
