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
