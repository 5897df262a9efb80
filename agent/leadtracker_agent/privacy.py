"""The exclusion list: personal numbers whose calls never leave the phone.

Numbers are compared by their last ten digits (all of them when shorter), so "+91 98765 43210",
"09876543210" and "9876543210" are one number whatever the phone or the person typed. A false
match keeps a call on the phone; a missed match would upload a personal call — so the rule
errs on the side of matching. Short codes (fewer than ten digits) must match exactly.
"""

from __future__ import annotations

from leadtracker_agent.calls import ascii_digits

KEY_DIGITS = 10


def number_key(number: str | None) -> str | None:
    digits = "".join(ch for ch in ascii_digits(number or "") if ch.isdigit())
    if not digits:
        return None  # withheld: nothing to compare
    return digits[-KEY_DIGITS:]


def check_number(text: str) -> str:
    """A number typed for the exclusion list; the error names the reason."""
    key = number_key(text)
    if key is None:
        raise ValueError(f"exclude: {text!r} has no digits")
    if len(key) < 3:
        raise ValueError(f"exclude: {text!r} is too short to be a phone number")
    return text.strip()


class Exclusions:
    def __init__(self, numbers: list[str] | None = None):
        self._keys = {k for k in (number_key(n) for n in numbers or []) if k}

    def __bool__(self) -> bool:
        return bool(self._keys)

    def __contains__(self, number: str | None) -> bool:
        key = number_key(number)
        return key is not None and key in self._keys
