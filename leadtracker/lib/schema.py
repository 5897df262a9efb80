"""Pydantic types shared by the API schemas."""

import copy
import datetime as dt
import enum
import re
from decimal import Decimal
from typing import Annotated, TypeVar

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _
from ninja import Schema
from ninja.errors import HttpError
from pydantic import AfterValidator, BeforeValidator, ConfigDict, WithJsonSchema
from pydantic import Strict as StrictMode
from pydantic_core import PydanticCustomError


def _email(value: str) -> str:
    # Django's validator, so the API accepts exactly what the web forms accept.
    value = value.strip().lower()
    try:
        validate_email(value)
    except ValidationError:
        raise ValueError(_("not a valid e-mail address")) from None
    return value


Email = Annotated[str, AfterValidator(_email)]


class Strict(Schema):
    """Input schemas: unknown fields are refused with a message naming them, never dropped; and
    a value must have the JSON type the schema says: no true for a member id (it became member
    1), no "3" for a number, no 1 for a boolean, no 5 for a text.

    pydantic's strict mode does that, but on the Python objects ninja hands it it would also
    refuse the text of a date or a time: JSON has no other way to send one. Those fields use the
    types below (Moment, TimeOfDay, Amount, Choice), which take text and only text
    (tests/test_api_strict_input.py walks every input schema for a field that does not)."""

    model_config = ConfigDict(extra="forbid", strict=True)


def _text(value):
    # A date, time or choice comes as text in JSON; a number or true in its place is a mistake
    # (1700000000 is not read as a timestamp). Python callers may pass the value itself.
    if isinstance(value, str | dt.date | dt.time | enum.Enum):
        return value
    raise PydanticCustomError("text_type", _("must be given as text"))


def _number_or_text(value):
    if isinstance(value, bool) or not isinstance(value, int | float | str | Decimal):
        raise PydanticCustomError("decimal_type", _("must be a number, or a number as text"))
    return value


TIME_OF_DAY = re.compile(r"^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9])?$")


def _time_of_day(value):
    if isinstance(value, dt.time):
        if value.tzinfo is not None:
            raise PydanticCustomError(
                "time_of_day", "a time of day has no UTC offset: it is the organisation's time"
            )
        return value
    if not isinstance(value, str) or not TIME_OF_DAY.match(value):
        raise PydanticCustomError(
            "time_of_day",
            "a time of day as HH:MM or HH:MM:SS (24-hour, no UTC offset: the organisation's time)",
        )
    return dt.time.fromisoformat(value)


# A date and time: RFC 3339 text (with an offset, as each field says).
Moment = Annotated[dt.datetime, StrictMode(False), BeforeValidator(_text)]
# Money and other decimals: a JSON number, or the number as text (exact, no float rounding).
Amount = Annotated[Decimal, StrictMode(False), BeforeValidator(_number_or_text)]
# A wall-clock time in the organisation's zone. JSON Schema's "format: time" is RFC 3339's
# full-time, which demands an offset: the document says what is really meant, a pattern.
TimeOfDay = Annotated[
    dt.time,
    BeforeValidator(_time_of_day),
    WithJsonSchema({"type": "string", "pattern": TIME_OF_DAY.pattern, "examples": ["21:00", "21:00:00"]}),
]
E = TypeVar("E", bound=enum.Enum)
# One of an enumeration's values, as text: Choice[Role].
Choice = Annotated[E, StrictMode(False), BeforeValidator(_text)]


# The schemas of the bodies that handlers read themselves, for the tests that hold every
# input schema to the rules above.
HANDLER_READ_BODIES: list[type[Schema]] = []


def request_body(model: type[Schema], *, required: bool = True) -> dict:
    """openapi_extra for an operation that reads its JSON body itself (the sync, punching):
    the model's schema with its nested models written in place. pydantic refers to them as
    "#/$defs/…", which in an OpenAPI document points at the document's root, where there is no
    $defs: clients and fuzzers could not read the body at all."""
    HANDLER_READ_BODIES.append(model)
    schema = model.model_json_schema()
    defs = schema.pop("$defs", {})

    def inline(node, seen=()):
        if isinstance(node, dict):
            ref = node.get("$ref", "")
            if ref.startswith("#/$defs/"):
                name = ref.removeprefix("#/$defs/")
                if name in seen:
                    raise ValueError(f"{model.__name__}: {name} nests itself and cannot be written in place")
                return inline(copy.deepcopy(defs[name]), (*seen, name))
            return {key: inline(value, seen) for key, value in node.items()}
        if isinstance(node, list):
            return [inline(value, seen) for value in node]
        return node

    content = {"application/json": {"schema": inline(schema)}}
    return {"requestBody": {"required": required, "content": content}}


def require_role(request, minimum: str):
    """The caller's membership, if its role is at least ``minimum``; else 403."""
    membership = request.membership
    if not membership.has_role(minimum):
        # A Role names itself in the reader's language, as on the member list ("एडमिन"); in
        # lower case mid-sentence, as the English always said it ("the admin role").
        role = str(getattr(minimum, "label", minimum)).lower()
        raise HttpError(403, _("this needs the %(role)s role or higher") % {"role": role})
    return membership
