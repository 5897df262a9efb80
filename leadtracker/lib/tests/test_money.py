from decimal import Decimal

import pytest

from leadtracker.lib.money import ParsedAmount, parse_amount


@pytest.mark.parametrize(
    "text, rupees",
    [
        ("45 lakh", "4500000"),
        ("45 Lakhs", "4500000"),
        ("45 LAKH", "4500000"),
        ("45 lac", "4500000"),
        ("45 lacs", "4500000"),
        ("45L", "4500000"),
        ("35l", "3500000"),
        ("4.5 lakh", "450000"),
        ("1.2 Cr", "12000000"),
        ("1.2 crore", "12000000"),
        ("1.2 crores", "12000000"),
        ("1 Cr.", "10000000"),
        (".5 cr", "5000000"),
        ("₹ 2,50,00,000", "25000000"),
        ("₹2.5 Cr", "25000000"),
        ("Rs. 60,00,000/-", "6000000"),
        ("Rs.60,000 only", "60000"),
        ("Rs 60000", "60000"),
        ("60000 Rs", "60000"),
        ("INR 5,00,000", "500000"),
        ("60,00,000", "6000000"),
        ("2,500,000", "2500000"),
        ("50k", "50000"),
        ("50 K", "50000"),
        ("50 thousand", "50000"),
        ("1.5 million", "1500000"),
        ("12345.50", "12345.50"),
        ("12345.505", "12345.51"),
        ("0", "0"),
        ("  45\u00a0lakh  ", "4500000"),  # a no-break space from a web page
        ("45 लाख", "4500000"),
        ("२ करोड़", "20000000"),
        ("99999 crore", "999990000000"),
    ],
)
def test_an_amount_is_read_in_rupees(text, rupees):
    assert parse_amount(text) == ParsedAmount(Decimal(rupees).quantize(Decimal("0.01")), exact=True)


@pytest.mark.parametrize(
    "text, lower_bound",
    [
        ("40-50 lakh", "4000000"),
        ("40 - 50 L", "4000000"),
        ("40 to 50 lakh", "4000000"),
        ("40 – 50 lakh", "4000000"),
        ("1-1.5 Cr", "10000000"),
        ("40L-50L", "4000000"),
        ("50 lakh - 1 Cr", "5000000"),
        ("₹40,000 - ₹50,000", "40000"),
        ("50-40 lakh", "4000000"),  # written backwards: still the lower one
        ("about 1 crore?", "10000000"),
        ("approx. 45 lakh", "4500000"),
        ("around 40-50 L", "4000000"),
        ("50L+", "5000000"),
        ("up to 80 lakh", "8000000"),
    ],
)
def test_a_range_or_an_estimate_gives_a_value_marked_inexact(text, lower_bound):
    assert parse_amount(text) == ParsedAmount(Decimal(lower_bound).quantize(Decimal("0.01")), exact=False)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        None,
        "abc",
        "N/A",
        "-",
        "-5",
        "-5 lakh",
        "1.2.3",
        "1,2,3",
        "1.234,50",  # a European decimal comma: ambiguous, so refused
        "3 BHK",
        "45 lakh lunch",
        "2BHK 45 lakh",
        "45 bananas",
        "lakh",
        "40 to",
        "1e12",
        "100000 crore",  # a lakh crore: a typo, not a deal
        "999999999999999999999999999999",
        "9876543210 crore",
    ],
)
def test_what_is_not_an_amount_is_refused(text):
    assert parse_amount(text) is None
