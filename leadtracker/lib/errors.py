"""Errors that action functions raise; the web and API layers turn them into messages."""

from django.core.exceptions import ObjectDoesNotExist
from django.utils.translation import gettext as _
from ninja.errors import HttpError


class ActionError(Exception):
    """A request that cannot be carried out, naming the field at fault and the reason."""

    status_code = 400

    def __init__(self, message: str, *, field: str = "", status_code: int | None = None):
        super().__init__(message)
        self.message = message
        self.field = field
        if status_code is not None:
            self.status_code = status_code

    def as_error(self) -> dict:
        return {"field": self.field, "message": self.message}


class Conflict(ActionError):
    status_code = 409


def found(lookup, *args):
    """What ``lookup(*args)`` finds, or the API's 404 when it finds nothing (None, or a model's
    DoesNotExist): another organisation's object answers exactly like a missing one."""
    try:
        obj = lookup(*args)
    except ObjectDoesNotExist:
        obj = None
    if obj is None:
        raise HttpError(404, _("not found"))
    return obj
