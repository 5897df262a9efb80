"""The custom fields settings page (/leads/settings/fields/): admins add fields, change them,
archive and restore them. Each form answers with the page again, saying "Saved." or why not."""

import functools

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST, require_safe

from leadtracker.accounts.audit import Actor
from leadtracker.accounts.decorators import member_required
from leadtracker.accounts.models import Role
from leadtracker.leads.fields import actions, selectors
from leadtracker.leads.fields.forms import FieldForm
from leadtracker.leads.fields.models import FieldType
from leadtracker.lib.errors import ActionError


@require_safe
@member_required(Role.ADMIN)
def field_settings(request):
    fields = list(selectors.all_fields(request.org.pk))
    return render(
        request,
        "leads/fields/settings.html",
        {
            "active": [f for f in fields if f.archived_at is None],
            "archived": [f for f in fields if f.archived_at is not None],
            "types": FieldType.choices,
            "form": FieldForm(),
        },
    )


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
        try:
            view(request, Actor.from_request(request), field)
        except ActionError as exc:
            messages.error(request, f"{exc.field}: {exc.message}" if exc.field else exc.message)
        else:
            messages.success(request, "Saved.")
        return redirect("field_settings")

    return posted


def _valid(request) -> FieldForm:
    form = FieldForm(request.POST)
    if not form.is_valid():
        name, errors = next(iter(form.errors.items()))
        raise ActionError(errors[0], field=name)
    return form


@_posted
def field_add(request, actor, _field):
    form = _valid(request)
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
def field_save(request, actor, field):
    form = _valid(request)
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
