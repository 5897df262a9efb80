"""Small helpers for web views."""


def show_action_error(form, exc) -> None:
    """Put an action's error on the form field it names (or on the form when it names none)."""
    form.add_error(exc.field if exc.field in form.fields else None, exc.message)


def safe_back(request, default: str) -> str:
    """Where a form says to go back to, if it is on this site; else ``default``."""
    from django.utils.http import url_has_allowed_host_and_scheme

    target = request.POST.get("back") or request.GET.get("back")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return default
