"""Pydantic types shared by the API schemas."""

from typing import Annotated

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from ninja import Schema
from ninja.errors import HttpError
from pydantic import AfterValidator, ConfigDict


def _email(value: str) -> str:
    # Django's validator, so the API accepts exactly what the web forms accept.
    value = value.strip().lower()
    try:
        validate_email(value)
    except ValidationError:
        raise ValueError("not a valid e-mail address") from None
    return value


Email = Annotated[str, AfterValidator(_email)]


class Strict(Schema):
    """Input schemas: unknown fields are refused with a message naming them, never dropped."""

    model_config = ConfigDict(extra="forbid")


def require_role(request, minimum: str):
    """The caller's membership, if its role is at least ``minimum``; else 403."""
    membership = request.membership
    if not membership.has_role(minimum):
        raise HttpError(403, f"this needs the {minimum} role or higher")
    return membership
