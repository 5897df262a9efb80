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


@pytest.mark.parametrize(
    "raw, region, said",
    [
        ("12345", "IN", "too short to be a phone number"),
        ("+91 12345", "IN", "too short to be a phone number"),
        ("98765 43210 1234", "IN", "too long to be a phone number"),
        ("55555 55555", "IN", "not a valid Indian phone number"),
        ("+1 555 555 5555", "IN", "not a valid number for region US"),
    ],
)
def test_a_refusal_is_in_a_sales_teams_words(raw, region, said):
    """An import's result and a lead's form show this to a manager: "too short", not
    libphonenumber's "not a valid number for region IN"."""
    with pytest.raises(InvalidPhone) as refused:
        normalise(raw, region)
    assert str(refused.value) == said


def test_display_is_international():
    assert display("+919876543210") == "+91 98765 43210"
    assert display("+14155552671") == "+1 415-555-2671"
    assert display("garbage") == "garbage"


def test_the_fast_path_for_indian_mobiles_agrees_with_libphonenumber():
    """normalise() skips the parser for Indian mobiles in the shapes people write them; the
    library must agree on every one (if its metadata ever changes, this fails)."""
    import random

    import phonenumbers

    from leadtracker.lib.phones import _fast_indian_mobile

    def agree(text):
        fast = _fast_indian_mobile(text, "IN")
        parsed = phonenumbers.parse(text, "IN")
        assert phonenumbers.is_valid_number(parsed), text
        assert fast == phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164), text

    # The fast path takes every ten digits from 6 to 9 once the shape is peeled off, so the two
    # questions are apart: whether the library calls every such number a valid mobile (its
    # metadata, judged by the digits: 20,000 numbers across the range, written in full), and
    # whether each shape peels off to the number the library reads (every shape, 1,000 numbers).
    # 33,000 parses instead of 280,000 (every shape of every number), of the same numbers.
    rng = random.Random(91)
    for i in range(20_000):
        national = str(rng.randrange(6_000_000_000, 10_000_000_000))
        agree(f"+91{national}")
        if i % 20:
            continue
        a, b = national[:5], national[5:]
        shapes = (
            national,
            f"0{national}",
            f"91{national}",
            f"0091{national}",
            f"+91 {a} {b}",
            f"{a} {b}",
            f"{a}-{b}",
            f"0{a} {b}",
            f"91-{national}",
            f"(+91) {a} {b}",
            f"+91-{a}-{b}",
            f"0091 {a} {b}",
            f"{national[:3]}.{national[3:6]}.{national[6:]}",
        )
        for text in shapes:
            agree(text)
    # Not for other regions' national numbers, nor other shapes.
    assert _fast_indian_mobile("9876543210", "US") is None
    assert _fast_indian_mobile("+91 98765 43210", "US") == "+919876543210"  # written in full
    assert _fast_indian_mobile("1-800-98765", "IN") is None
    assert _fast_indian_mobile("98765 4321", "IN") is None  # a digit short: the parser's job
    assert _fast_indian_mobile("5876543210", "IN") is None


def test_full_width_digits_are_normalised_to_ascii():
    from leadtracker.lib.phones import normalise

    assert normalise("+919８７６５４３２１０") == "+919876543210"


def test_the_string_tests_of_the_fast_path_agree_with_its_patterns():
    """The commonest shapes are told by string tests, not regular expressions: on strings of
    digits, signs and separators in any mix, both ways give the same answer in both regions."""
    import random

    from leadtracker.lib.phones import _fast_indian_mobile, _fast_indian_mobile_by_pattern

    rng = random.Random(7)
    alphabet = "0123456789" * 3 + "+ -.()\t\u00a0٩x"
    samples = ["+919876543210", "00919876543210", "919876543210", "09876543210", "+91 5876543210"]
    samples += ["+91+9876543210", "9876543210 ", "+0919876543210", "²876543210", "9876-54321-0"]
    for _ in range(30_000):
        national = str(rng.randrange(5_000_000_000, 10_000_000_000))
        prefix = rng.choice(["", "0", "91", "0091", "+91", "+", "00", "910"])
        text = prefix + national
        for _ in range(rng.randrange(3)):
            at = rng.randrange(len(text) + 1)
            text = text[:at] + rng.choice(alphabet) + text[at:]
        samples.append(text)
    for text in samples:
        for region in ("IN", "US"):
            assert _fast_indian_mobile(text, region) == _fast_indian_mobile_by_pattern(text, region), (
                text,
                region,
            )
