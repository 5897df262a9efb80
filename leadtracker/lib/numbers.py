"""Numbers the Indian way: 12,34,56,789 (lakhs and crores), as Indian readers expect."""

from decimal import Decimal


def indian_grouping(value) -> str:
    if value is None or value == "":
        return ""
    amount = Decimal(str(value)).quantize(Decimal("1"))
    sign = "-" if amount < 0 else ""
    digits = str(abs(amount))
    if len(digits) <= 3:
        return sign + digits
    head, tail = digits[:-3], digits[-3:]
    groups = []
    while len(head) > 2:
        groups.insert(0, head[-2:])
        head = head[:-2]
    if head:
        groups.insert(0, head)
    return sign + ",".join(groups + [tail])


def _one_decimal(amount: Decimal) -> str:
    """45.0 -> "45", 1.25 -> "1.3" (half up, as people round money), grouped the Indian way."""
    from decimal import ROUND_HALF_UP

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
