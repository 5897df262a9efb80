"""The custom fields settings page (/leads/settings/fields/): admins add fields, change them,
archive and restore them. A saved form answers "Saved."; a refused one comes back as typed,
each error beside its input in words (not the action's internal names), so nothing is retyped."""

import functools

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from leadtracker.accounts.audit import Actor
from leadtracker.accounts.decorators import member_required
from leadtracker.accounts.models import Role
from leadtracker.leads.fields import actions, selectors
from leadtracker.leads.fields.forms import FieldForm, edit_form, say_refusal
from leadtracker.leads.fields.models import FieldType
from leadtracker.lib.errors import ActionError


def _page(request, *, add_form=None, refused=None, status=200):
    fields = list(selectors.all_fields(request.org.pk))
    active = [f for f in fields if f.archived_at is None]
    for f in active:
        # The refused edit form stands in for its field's form, open, with what was typed.
        f.form = refused if refused is not None and refused.field_pk == f.pk else edit_form(f)
    return render(
        request,
        "leads/fields/settings.html",
        {
            "active": active,
            "archived": [f for f in fields if f.archived_at is not None],
            "types": FieldType.choices,
            "form": add_form or FieldForm(),
        },
        status=status,
    )


@require_safe
@member_required(Role.ADMIN)
def field_settings(request):
    return _page(request)


def _posted(view):
    @require_POST
    @member_required(Role.ADMIN)
    @functools.wraps(view)
    def posted(request, **ids):
        field = None
        if "field_id" in ids:
            # Another organisation's field is a 404, as a missing one is.
            field = selectors.get_field(request.org.pk, ids["field_id"])
            if field is None:
                raise Http404
        if view.__name__ in ("field_archive", "field_restore"):
            try:
                view(request, Actor.from_request(request), field)
            except ActionError as exc:
                messages.error(request, exc.message)
            else:
                messages.success(request, _("Saved."))
            return redirect("field_settings")
        form = edit_form(field, request.POST) if field else FieldForm(request.POST)
        form.org_id = request.org.pk
        if form.is_valid():
            try:
                view(request, Actor.from_request(request), field, form)
            except ActionError as exc:
                say_refusal(form, exc)
        if form.errors:
            if field:
                return _page(request, refused=form)
            return _page(request, add_form=form)
        messages.success(request, _("Saved."))
        return redirect("field_settings")

    return posted


@_posted
def field_add(request, actor, _field, form):
    d = form.cleaned_data
    actions.create_field(
        request.org,
        label=d["label"],
        type=d["type"],
        choices=form.choice_list(),
        section=d["section"],
        position=d["position"],
        required=d["required"],
        hidden_from_agents=d["hidden_from_agents"],
        actor=actor,
    )


@_posted
def field_save(request, actor, field, form):
    d = form.cleaned_data
    changes = {
        "label": d["label"],
        "section": d["section"],
        "required": d["required"],
        "hidden_from_agents": d["hidden_from_agents"],
    }
    if d["position"] is not None:
        changes["position"] = d["position"]
    if field.choices:
        changes["choices"] = form.choice_list()
    actions.update_field(field, actor=actor, **changes)


@_posted
def field_archive(request, actor, field):
    actions.archive_field(field, actor=actor)


@_posted
def field_restore(request, actor, field):
    actions.restore_field(field, actor=actor)
