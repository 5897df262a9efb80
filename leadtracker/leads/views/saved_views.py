"""The lead list's saved views and column chooser: save the list as it is under a name (a
manager may share it with the team), delete one's own, and choose the desktop table's columns."""

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from leadtracker.accounts.audit import Actor
from leadtracker.accounts.decorators import member_required
from leadtracker.leads import selectors
from leadtracker.leads.actions.saved_views import delete_view, save_view, set_columns
from leadtracker.leads.forms import SavedViewForm
from leadtracker.lib.errors import ActionError
from leadtracker.lib.web import refusal_text, safe_back


@require_POST
@member_required()
def view_save(request):
    try:
        view = save_view(
            request.membership,
            request.POST.get("name", ""),
            query=request.POST.get("query", ""),
            columns=request.POST.getlist("columns"),
            shared=request.POST.get("shared") == "1",
            actor=Actor.from_request(request),
        )
    except ActionError as exc:
        messages.error(request, refusal_text(SavedViewForm(), exc))
        return redirect(safe_back(request, reverse("lead_list")))
    saved = (
        _("View “%(name)s” saved and shared with your team.") if view.shared else _("View “%(name)s” saved.")
    )
    messages.success(request, saved % {"name": view.name})
    return redirect(f"{reverse('lead_list')}?{view.query}{'&' if view.query else ''}view={view.pk}")


@require_POST
@member_required()
def view_delete(request, view_id):
    view = selectors.get_saved_view(request.membership, view_id)
    try:
        delete_view(request.membership, view, actor=Actor.from_request(request))
    except ActionError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("View “%(name)s” deleted.") % {"name": view.name})
    return redirect("lead_list")


@require_POST
@member_required()
def columns_save(request):
    try:
        set_columns(request.membership, request.POST.getlist("columns"), actor=Actor.from_request(request))
    except ActionError as exc:
        messages.error(request, exc.message)
    return redirect(safe_back(request, reverse("lead_list")))
