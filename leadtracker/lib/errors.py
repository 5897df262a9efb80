"""Errors that action functions raise; the web and API layers turn them into messages."""


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
