import pytest

from leadtracker.lib.numbers import indian_grouping


@pytest.mark.parametrize(
    "value, expected",
    [
        (0, "0"),
        (999, "999"),
        (1000, "1,000"),
        (100000, "1,00,000"),
        (12345678, "1,23,45,678"),
        ("4500000.40", "45,00,000"),
        (-250000, "-2,50,000"),
    ],
)
def test_indian_grouping(value, expected):
    assert indian_grouping(value) == expected
