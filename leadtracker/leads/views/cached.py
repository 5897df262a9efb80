"""Reads whose answer is the same for the whole request, made once and kept on the request."""

from leadtracker.leads.fields import selectors as field_selectors


def custom_fields(request) -> list:
    """The custom fields the viewer works with (fields_for), read once per request: the leads
    page asks for them for its filters, its columns and its sorts."""
    if getattr(request, "_custom_fields", None) is None:
        request._custom_fields = field_selectors.fields_for(request.membership)
    return request._custom_fields
