"""Pydantic types shared by the API schemas."""

from typing import Annotated

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from pydantic import AfterValidator


def _email(value: str) -> str:
    # Django's validator, so the API accepts exactly what the web forms accept.
    value = value.strip().lower()
    try:
        validate_email(value)
    except ValidationError:
        raise ValueError("not a valid e-mail address") from None
    return value


Email = Annotated[str, AfterValidator(_email)]
