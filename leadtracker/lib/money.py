"""Money: amounts as people type them in Indian sheets ("45 lakh", "1.2 Cr", "₹ 2,50,00,000",
"Rs. 60,00,000/-", "50k", "40-50 lakh") read into rupees, or refused (None), never guessed; and
amounts shown at a glance (₹45 L, ₹1.2 Cr)."""

import re
import unicodedata
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from leadtracker.lib.numbers import indian_grouping
from leadtracker.lib.phones import to_ascii_digits


@dataclass(frozen=True)
class ParsedAmount:
    value: Decimal
    # False when the text said more than one number: a range (the lower bound is taken) or a
    # hedge ("about", "?", "+"). The caller keeps the raw text next to the value then.
    exact: bool


# Every spelling a unit is written in, after lower-casing; a trailing "." is dropped first.
UNITS = {
    "": 1,
    "k": 1_000,
    "thousand": 1_000,
    "thousands": 1_000,
    "hazar": 1_000,
    "हजार": 1_000,
    "हज़ार": 1_000,
    "l": 100_000,
    "lk": 100_000,
    "lkh": 100_000,
    "lakh": 100_000,
    "lakhs": 100_000,
    "lac": 100_000,
    "lacs": 100_000,
    "laks": 100_000,
    "lacks": 100_000,
    "लाख": 100_000,
    "m": 1_000_000,
    "mn": 1_000_000,
    "mil": 1_000_000,
    "million": 1_000_000,
    "millions": 1_000_000,
    "cr": 10_000_000,
    "crs": 10_000_000,
    "crore": 10_000_000,
    "crores": 10_000_000,
    "करोड़": 10_000_000,
    "करोड": 10_000_000,
    "b": 1_000_000_000,
    "bn": 1_000_000_000,
    "billion": 1_000_000_000,
}
# The text is NFKC-normalised before it is read, so the spellings are too (करोड़'s nukta).
UNITS = {unicodedata.normalize("NFKC", unit): factor for unit, factor in UNITS.items()}

# Beyond this an amount is a typo or a pasted phone number, not a deal (a lakh crore).
LIMIT = Decimal("1e12")

_CURRENCY = r"(?:₹|rs\.?|inr|rupees?)"
# Plain digits or grouped ones, Indian (2,50,00,000) or Western (2,500,000); an optional fraction.
_NUMBER = r"(?:\d{1,3}(?:,\d{2,3})+|\d+)(?:\.\d+)?|\.\d+"
# Longest spelling first, and not the start of a longer word ("l" is not "lunch").
_UNIT = "(?:" + "|".join(re.escape(u) for u in sorted(UNITS, key=len, reverse=True) if u) + r")\.?(?![a-z])"
_AMOUNT = rf"(?:{_CURRENCY}\s*)?({_NUMBER})\s*({_UNIT})?"
_TEXT = re.compile(
    rf"{_AMOUNT}"
    rf"(?:\s*(?:-|–|—|to)\s*{_AMOUNT})?"
    r"\s*(?:/-)?"
    rf"(?:\s*{_CURRENCY}\.?)?"
    r"(?:\s*only)?",
)
# Words around a number that make it an estimate; anything else around it refuses the text.
_HEDGE_BEFORE = re.compile(
    r"^(?:about|around|approx\.?|approximately|appx\.?|apprx\.?|approximate|nearly|roughly|~|"
    r"up ?to|under|below|less than|within|max\.?|maximum|min\.?|minimum|above|over|more than|"
    r"at least|atleast)\s*:?\s*"
)
_HEDGE_AFTER = re.compile(r"\s*(?:\?|\+|approx\.?|onwards|plus|or so|or more|or less|negotiable|neg\.?)$")


def parse_amount(text: str) -> ParsedAmount | None:
    """The amount in rupees, to the paisa, or None when the text is not an amount."""
    cleaned = unicodedata.normalize("NFKC", to_ascii_digits(text or "")).lower()
    cleaned = re.sub(r"\s+", " ", cleaned).strip()
    exact = True
    while True:  # "about 40-50 lakh?" -> "40-50 lakh", not exact
        stripped = _HEDGE_AFTER.sub("", _HEDGE_BEFORE.sub("", cleaned)).strip()
        if stripped == cleaned:
            break
        cleaned, exact = stripped, False
    match = _TEXT.fullmatch(cleaned)
    if not match:
        return None
    low_number, low_unit, high_number, high_unit = match.groups()
    if high_number is None:
        value = _scaled(low_number, low_unit)
    else:
        # "40-50 lakh": the first number takes the second's unit when it has none of its own.
        low = _scaled(low_number, low_unit if low_unit else high_unit)
        high = _scaled(high_number, high_unit)
        value = None if low is None or high is None else min(low, high)
        exact = False
    if value is None or value >= LIMIT:
        return None
    return ParsedAmount(value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP), exact)


def _scaled(number: str, unit: str | None) -> Decimal | None:
    factor = UNITS.get((unit or "").rstrip("."))
    if factor is None:
        return None
    try:
        return Decimal(number.replace(",", "")) * factor
    except InvalidOperation:
        return None


# --- showing amounts ------------------------------------------------------------------------


def _one_decimal(amount: Decimal) -> str:
    """45.0 -> "45", 1.25 -> "1.3" (half up, as people round money), grouped the Indian way."""
    rounded = amount.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    whole, tenth = divmod(rounded, 1)
    return indian_grouping(whole) + (f".{int(tenth * 10)}" if tenth else "")


def short_money(value, currency: str = "INR") -> str:
    """An amount at a glance, for totals: ₹45,000, ₹45 L, ₹1.2 Cr, ₹1,250 Cr in rupees (lakhs
    from 1,00,000, crores from 1,00,00,000); other currencies in K, M and B."""
    amount = Decimal(str(value or 0))
    sign = "-" if amount < 0 else ""
    amount = abs(amount)
    if currency != "INR":
        for size, suffix in ((Decimal(10) ** 9, "B"), (Decimal(10) ** 6, "M"), (Decimal(10) ** 3, "K")):
            if amount.quantize(Decimal("0.1")) >= size:
                return f"{sign}{currency} {amount / size:,.1f}".removesuffix(".0") + suffix
        return f"{sign}{currency} {amount:,.0f}"
    lakh, crore = Decimal(10) ** 5, Decimal(10) ** 7
    # 99.96 lakh rounds to 100.0 L, which people write ₹1 Cr: compare after rounding.
    if (amount / lakh).quantize(Decimal("0.1")) >= 100:
        return f"{sign}₹{_one_decimal(amount / crore)} Cr"
    if amount.quantize(Decimal("1")) >= lakh:
        return f"{sign}₹{_one_decimal(amount / lakh)} L"
    return f"{sign}₹{indian_grouping(amount)}"
