"""Small helpers for web views."""


def show_action_error(form, exc) -> None:
    """Put an action's error on the form field it names (or on the form when it names none)."""
    form.add_error(exc.field if exc.field in form.fields else None, exc.message)
