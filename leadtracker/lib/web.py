"""Small helpers for web views."""

from django.utils.http import url_has_allowed_host_and_scheme


def show_action_error(form, exc) -> None:
    """Put an action's error on the form field it names (or on the form when it names none).
    A form whose fields are named otherwise than the action's says so in ``action_fields``
    ({"follow_up.due_at": "follow_up_at"})."""
    field = getattr(form, "action_fields", {}).get(exc.field, exc.field)
    form.add_error(field if field in form.fields else None, exc.message)


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
