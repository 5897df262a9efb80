"""Small helpers for web views."""

from collections.abc import Mapping

from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _


def _labels(form) -> Mapping:
    """{field: label} of a form; a page with no Django form passes its own such map instead."""
    if form is None:
        return {}
    if isinstance(form, Mapping):
        return form
    return {name: field.label for name, field in form.fields.items()}


def action_field(form, exc) -> str | None:
    """The form's field an action's error names, or None when the form has no such field.
    A form whose fields are named otherwise than the action's says so in ``action_fields``
    ({"follow_up.due_at": "follow_up_at"})."""
    field = getattr(form, "action_fields", {}).get(exc.field, exc.field)
    return field if field in _labels(form) else None


def show_action_error(form, exc) -> None:
    """Put an action's error on the form field it names (or on the form when it names none)."""
    form.add_error(action_field(form, exc), exc.message)


def labelled(form, field: str | None, message) -> str:
    """A refusal as one line for a page's message (a page that redirects has no form to show
    it on): the field's label, in the reader's language, then the reason. The reason alone for
    a field the form lacks or leaves unlabelled: the code's name for a field ("due_at") means
    nothing to a telecaller, in English or in Hindi. ``form``: a form, or {field: label}."""
    label = _labels(form).get(field)
    return _("%(field)s: %(reason)s") % {"field": label, "reason": message} if label else str(message)


def refusal_text(form, exc) -> str:
    """An action's refusal as one line, its field named by ``form``'s label (None: no form;
    a map {field: label}: a page with no Django form)."""
    return labelled(form, action_field(form, exc), exc.message)


def form_refusal(form) -> str:
    """An invalid form's first error as one line, its field named by its label."""
    field, errors = next(iter(form.errors.items()))
    return labelled(form, field, errors[0])


def int_or_none(value) -> int | None:
    """A whole number from a form's or a query's text; None when it is missing or is not one."""
    try:
        return int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


def safe_back(request, default: str) -> str:
    """Where a form says to go back to, if it is on this site; else ``default``."""
    target = request.POST.get("back") or request.GET.get("back")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return default


class ContextClash(ValueError):
    """Two parts of one template context named the same key."""


def merge_context(*parts: dict) -> dict:
    """One template context from several dicts, refusing a key that two of them name.

    A dict literal that splats another (``{"tags": mine, **choices}``) lets the later key win
    without a word: that is how the organisation's list of tags once replaced a lead's own tags
    on its page. Merging through here turns such a clash into an error at the first render."""
    merged: dict = {}
    for part in parts:
        for key, value in part.items():
            if key in merged:
                raise ContextClash(f"the template context names {key!r} twice")
            merged[key] = value
    return merged
