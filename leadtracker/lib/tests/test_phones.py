import pytest

from leadtracker.lib.phones import InvalidPhone, display, normalise


@pytest.mark.parametrize(
    "raw, region, expected",
    [
        ("98765 43210", "IN", "+919876543210"),
        ("+91-98765-43210", "IN", "+919876543210"),
        ("098765 43210", "IN", "+919876543210"),
        ("0091 98765 43210", "IN", "+919876543210"),
        ("९८७६५४३२१०", "IN", "+919876543210"),  # Devanagari digits
        ("০৯৮৭৬৫৪৩২১০", "IN", "+919876543210"),  # Bengali digits with trunk 0
        ("(020) 7946 0958", "GB", "+442079460958"),
        ("+1 415 555 2671", "IN", "+14155552671"),
    ],
)
def test_normalise(raw, region, expected):
    assert normalise(raw, region) == expected


@pytest.mark.parametrize("raw", ["", "abc", "12345", "+91 12345"])
def test_invalid_numbers_say_why(raw):
    with pytest.raises(InvalidPhone):
        normalise(raw, "IN")


def test_display_is_international():
    assert display("+919876543210") == "+91 98765 43210"
    assert display("+14155552671") == "+1 415-555-2671"
    assert display("garbage") == "garbage"
