"""Errors that action functions raise; the web and API layers turn them into messages."""

from django.core.exceptions import ObjectDoesNotExist
from django.utils.translation import gettext as _
from ninja.errors import HttpError


class ActionError(Exception):
    """A request that cannot be carried out, naming the field at fault and the reason."""

    status_code = 400

    def __init__(self, message: str, *, field: str = "", status_code: int | None = None, code: str = ""):
        super().__init__(message)
        self.message = message
        self.field = field
        # For a program that acts on the refusal (the device agent resends a punch refused as
        # "in_the_future" in the server's time): the message is in the caller's language.
        self.code = code
        if status_code is not None:
            self.status_code = status_code

    def as_error(self) -> dict:
        error = {"field": self.field, "message": self.message}
        if self.code:
            error["code"] = self.code
        return error


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
