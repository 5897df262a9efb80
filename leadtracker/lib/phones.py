"""Phone numbers: the one place they are parsed and normalised (libphonenumber).

Stored as E.164 ("+919876543210") with the organisation's default region filling in
numbers written without a country code; the raw form is kept for display by the caller.
"""

import re

import phonenumbers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from phonenumbers import NumberParseException, PhoneNumberFormat, ValidationResult

# Indian phones set to some languages write digits in their own script.
_DIGIT_TABLE = {}
for _zero in (0x0966, 0x09E6, 0x0A66, 0x0AE6, 0x0B66, 0x0BE6, 0x0C66, 0x0CE6, 0x0D66, 0x0660, 0x06F0):
    for _i in range(10):
        _DIGIT_TABLE[_zero + _i] = str(_i)


# libphonenumber's reasons, word for word, so that their Hindi is in the catalogue.
LIBPHONENUMBER_REASONS = (
    gettext_noop("Invalid country calling code"),
    gettext_noop("The string supplied did not seem to be a phone number"),
    gettext_noop("Phone number too short after IDD"),
    gettext_noop("The string supplied is too short to be a phone number"),
    gettext_noop("The string supplied is too long to be a phone number"),
)


class InvalidPhone(ValueError):
    pass


def to_ascii_digits(raw: str) -> str:
    if not raw or raw.isascii():
        return raw or ""  # the common case: a translate through the table costs ~2 µs
    return raw.translate(_DIGIT_TABLE)


# Indian mobile numbers, the bulk of what phones and imports bring, in the ways they are
# written: +91XXXXXXXXXX, 0XXXXXXXXXX, 91XXXXXXXXXX, 0091XXXXXXXXXX or XXXXXXXXXX, with spaces,
# hyphens, dots or brackets anywhere ("98765 43210", "(+91) 98765-43210"). libphonenumber's
# metadata makes every one of them a valid number (a test checks that against the library for
# a large sample of each shape), so they skip its parser: imports and call sync normalise
# hundreds of numbers a request, and the parser costs ~30–100 µs a number.
_SEPARATORS = re.compile(r"[\s\-.()]+")
_IN_MOBILE_E164 = re.compile(r"(?:\+|00)91([6-9][0-9]{9})")
_IN_MOBILE_NATIONAL = re.compile(r"(?:0|91)?([6-9][0-9]{9})")


_MOBILE_FIRST = frozenset("6789")


def _fast_indian_mobile(text: str, region: str) -> str | None:
    # The commonest shapes by string tests alone, once per number: ten digits (IN only), or
    # +91, 91 (IN only), 0091 or 0 (IN only) and ten digits, with spaces or hyphens. ASCII
    # digits only, as [0-9] is. Anything else takes the regular expressions below.
    compact = text.replace(" ", "").replace("-", "") if not text.isdigit() else text
    if compact.isascii():
        size = len(compact)
        if size == 13 and compact.startswith("+91"):
            tail = compact[3:]
        elif size == 14 and compact.startswith("0091"):
            tail = compact[4:]
        elif region != "IN":
            tail = None
        elif size == 10:
            tail = compact
        elif (size == 11 and compact[0] == "0") or (size == 12 and compact.startswith("91")):
            tail = compact[-10:]
        else:
            tail = None
        if tail is not None and tail.isdigit() and tail[0] in _MOBILE_FIRST:
            return "+91" + tail
    return _fast_indian_mobile_by_pattern(text, region)


def _fast_indian_mobile_by_pattern(text: str, region: str) -> str | None:
    compact = _SEPARATORS.sub("", text) if not text.isdigit() else text
    found = _IN_MOBILE_E164.fullmatch(compact)
    if found is None and region == "IN":
        found = _IN_MOBILE_NATIONAL.fullmatch(compact)
    return "+91" + found.group(1) if found else None


def normalise(raw: str, region: str = "IN") -> str:
    """E.164 for a valid number, else InvalidPhone saying why."""
    text = to_ascii_digits(raw).strip()
    if not text:
        raise InvalidPhone(_("empty"))
    fast = _fast_indian_mobile(text, (region or "").upper())
    if fast is not None:
        return fast
    if text.startswith("00"):
        text = "+" + text[2:]
    try:
        number = phonenumbers.parse(text, region.upper() if region else None)
    except NumberParseException as exc:
        raise InvalidPhone(_("not a phone number (%(why)s)") % {"why": _(exc._msg)}) from None
    if not phonenumbers.is_valid_number(number):
        raise InvalidPhone(_why_not_valid(number))
    return phonenumbers.format_number(number, PhoneNumberFormat.E164)


def _why_not_valid(number) -> str:
    """Why a parsed number is refused, in words a sales team reads in an import's result or
    under a lead's phone field: too short or too long first (a digit missing is the common
    slip), then not an Indian number; a number of another country says which."""
    possible = phonenumbers.is_possible_number_with_reason(number)
    if possible == ValidationResult.TOO_SHORT:
        return _("too short to be a phone number")
    if possible == ValidationResult.TOO_LONG:
        return _("too long to be a phone number")
    where = phonenumbers.region_code_for_country_code(number.country_code)
    if where == "IN":
        return _("not a valid Indian phone number")
    return _("not a valid number for region %(region)s") % {"region": where}


def display(e164: str) -> str:
    """ "+91 98765 43210": international format, the way Indian mobiles are usually written and
    unambiguous for numbers from anywhere."""
    try:
        number = phonenumbers.parse(e164, None)
    except NumberParseException:
        return e164
    return phonenumbers.format_number(number, PhoneNumberFormat.INTERNATIONAL)
