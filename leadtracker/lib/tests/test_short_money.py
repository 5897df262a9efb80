"""Totals at a glance the Indian way: ₹45,000, ₹45 L, ₹1.2 Cr (the board's column headers)."""

from decimal import Decimal

import pytest

from leadtracker.lib.money import short_money


@pytest.mark.parametrize(
    "value, shown",
    [
        (None, "₹0"),
        (0, "₹0"),
        (999, "₹999"),
        (45000, "₹45,000"),
        (Decimal("99999.40"), "₹99,999"),
        (Decimal("99999.60"), "₹1 L"),  # rounds up to a lakh, so it is written as one
        (100000, "₹1 L"),
        (4500000, "₹45 L"),
        (4550000, "₹45.5 L"),
        (Decimal("9996000"), "₹1 Cr"),  # 99.96 L rounds to 100 L: a crore
        (12000000, "₹1.2 Cr"),
        (12500000, "₹1.3 Cr"),
        (125_000_000_000, "₹12,500 Cr"),
        (-4500000, "-₹45 L"),
    ],
)
def test_rupees_in_lakhs_and_crores(value, shown):
    assert short_money(value) == shown


@pytest.mark.parametrize(
    "value, shown", [(950, "USD 950"), (45000, "USD 45K"), (4500000, "USD 4.5M"), (2_000_000_000, "USD 2B")]
)
def test_other_currencies_in_thousands_millions_billions(value, shown):
    assert short_money(value, "USD") == shown


def test_the_template_filter_uses_the_organisations_currency():
    from django.template import Context, Template

    template = Template("{{ v|inr:cur }}")  # lib/formats.py, a builtin
    assert template.render(Context({"v": Decimal("12000000"), "cur": "INR"})) == "₹1.2 Cr"
    assert template.render(Context({"v": Decimal("12000000"), "cur": "AED"})) == "AED 12M"
