"""A custom value's checks and stored form, one type at a time.

Stored forms (docs/decisions.md): numbers and money as JSON numbers (money in rupees), dates
as ``YYYY-MM-DD`` (they sort as dates), yes/no as true/false, multiple choice as a list in the
field's order, the rest as text. Empty is no key at all, so "empty" filters ask for a missing key.
"""

import datetime as dt
import re
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from leadtracker.leads.fields.models import CustomField, FieldType
from leadtracker.lib.errors import ActionError
from leadtracker.lib.phones import InvalidPhone, normalise

MAX_TEXT = {FieldType.TEXT: 500, FieldType.LONG_TEXT: 5000}
MAX_NUMBER = Decimal("1e15")
# An import's "45 L", "1.2 Cr", "45 lakh": what a person in India writes for money.
_SCALE = {"l": 100_000, "lac": 100_000, "lakh": 100_000, "lakhs": 100_000, "k": 1000, "thousand": 1000}
_SCALE |= {"cr": 10_000_000, "crore": 10_000_000, "crores": 10_000_000}
_MONEY = re.compile(r"(?P<n>[0-9.]+)\s*(?P<unit>[a-z]*)")
YES = {"yes", "y", "true", "1", "हाँ", "हां"}
NO = {"no", "n", "false", "0", "नहीं"}
# The last: an XLSX date cell, which the import's reader hands on as str(datetime) ("2027-01-10
# 00:00:00"); a spreadsheet's date has no zone, so its day is the date part.
_DAY_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%d %b %Y", "%d %B %Y", "%Y-%m-%d %H:%M:%S")


class BadValue(ActionError):
    def __init__(self, field: CustomField, reason: str):
        super().__init__(reason, field=f"fields.{field.key}", status_code=422)


def is_empty(value) -> bool:
    return value is None or value == "" or value == []


def _number(field, value, money: bool):
    if isinstance(value, bool):
        raise BadValue(field, _("must be a number"))
    if isinstance(value, int | float | Decimal):
        amount = Decimal(str(value))
    else:
        text = (
            str(value).strip().lower().replace(",", "").replace("₹", "").replace("inr", "").replace("rs.", "")
        )
        text = text.strip()
        match = _MONEY.fullmatch(text) if money else None
        try:
            if match and match["unit"]:
                if match["unit"] not in _SCALE:
                    raise InvalidOperation
                amount = Decimal(match["n"]) * _SCALE[match["unit"]]
            else:
                amount = Decimal(text)
        except InvalidOperation:
            raise BadValue(
                field, (_("%r is not an amount") if money else _("%r is not a number")) % value
            ) from None
    if not amount.is_finite() or abs(amount) >= MAX_NUMBER:
        raise BadValue(field, _("must be a number below 10^15"))
    if money:
        if amount < 0:
            raise BadValue(field, _("must not be negative"))
        amount = amount.quantize(Decimal("0.01"))
    return int(amount) if amount == amount.to_integral_value() else float(amount)


def _day(field, value) -> str:
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value).strip()
    for fmt in _DAY_FORMATS:
        try:
            # A day has no zone: the parsed moment is only a step to the date.
            return dt.datetime.strptime(text, fmt).date().isoformat()  # noqa: DTZ007
        except ValueError:
            continue
    raise BadValue(field, _("%r is not a date (YYYY-MM-DD)") % value)


def _choice(field, value) -> str:
    text = str(value).strip()
    by_lower = {c.lower(): c for c in field.choices}
    if text.lower() not in by_lower:
        raise BadValue(
            field,
            _("%(value)r is not one of %(choices)s") % {"value": text, "choices": ", ".join(field.choices)},
        )
    return by_lower[text.lower()]


def _choices(field, value) -> list[str]:
    items = value if isinstance(value, list | tuple) else str(value).split(",")
    picked = {_choice(field, v) for v in items if str(v).strip()}
    return [c for c in field.choices if c in picked]


def _yes_no(field, value) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in YES:
        return True
    if text in NO:
        return False
    raise BadValue(field, _("%r is not yes or no") % value)


def _text(field, value) -> str:
    if not isinstance(value, str | int | float | Decimal) or isinstance(value, bool):
        raise BadValue(field, _("must be text"))
    text = str(value).strip()
    if len(text) > MAX_TEXT[field.type]:
        raise BadValue(field, _("must be at most %s characters") % MAX_TEXT[field.type])
    return text


def _email(field, value) -> str:
    email = str(value).strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        raise BadValue(field, _("%r is not a valid e-mail address") % value) from None
    return email


def clean_value(field: CustomField, value, region: str = "IN"):
    """The stored form of ``value`` for ``field``, or None for empty; BadValue naming
    ``fields.<key>`` and the reason for anything else."""
    if isinstance(value, str):
        value = value.strip()
    if is_empty(value):
        return None
    kind = field.type
    if kind in MAX_TEXT:
        return _text(field, value)
    if kind in (FieldType.NUMBER, FieldType.MONEY):
        return _number(field, value, money=kind == FieldType.MONEY)
    if kind == FieldType.DATE:
        return _day(field, value)
    if kind == FieldType.CHOICE:
        return _choice(field, value)
    if kind == FieldType.MULTIPLE_CHOICE:
        return _choices(field, value) or None
    if kind == FieldType.YES_NO:
        return _yes_no(field, value)
    if kind == FieldType.EMAIL:
        return _email(field, value)
    try:
        return normalise(str(value), region)
    except InvalidPhone as exc:
        raise BadValue(field, _("%(value)r is %(reason)s") % {"value": value, "reason": exc}) from None
