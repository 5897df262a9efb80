"""E-mail addresses are checked once, the same way everywhere: the quick check for everyday
addresses accepts only what Django's validator accepts, and everything else still goes through
the validator."""

import random
import string

import pytest
from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from leadtracker.leads.actions.leads import _PLAIN_EMAIL, clean_email
from leadtracker.lib.errors import ActionError


def test_every_address_the_quick_check_takes_the_validator_takes_too():
    rng = random.Random(7)
    word_chars = string.ascii_lowercase + string.digits + "_%+-"
    label_chars = string.ascii_lowercase + string.digits + "-"
    taken = 0
    for _ in range(20_000):
        user = ".".join(
            "".join(rng.choice(word_chars) for _ in range(rng.randint(1, 8)))
            for _ in range(rng.randint(1, 3))
        )
        labels = [
            "".join(rng.choice(label_chars) for _ in range(rng.randint(1, 70)))
            for _ in range(rng.randint(1, 3))
        ]
        tld = "".join(rng.choice(string.ascii_lowercase + "-0") for _ in range(rng.randint(1, 26)))
        email = f"{user}@{'.'.join(labels)}.{tld}"
        if _PLAIN_EMAIL.fullmatch(email) and len(email) <= 254:
            taken += 1
            validate_email(email)  # raises if the quick check took one the validator would refuse
    assert taken > 2_000  # the sample reaches the quick check, not only the validator


@pytest.mark.parametrize(
    "raw, clean",
    [
        ("Priya@Example.in", "priya@example.in"),
        ("mailto:ravi.k@mail.co.in", "ravi.k@mail.co.in"),
        ("  o'brien@example.ie ", "o'brien@example.ie"),  # not everyday: the validator takes it
        ("user@[192.168.0.1]", "user@[192.168.0.1]"),
    ],
)
def test_good_addresses(raw, clean):
    assert clean_email(raw) == clean


@pytest.mark.parametrize(
    "raw", ["not-an-email", "a..b@example.in", "a@-example.in", "a@example", "a@ex ample.in"]
)
def test_bad_addresses_name_the_field(raw):
    with pytest.raises(ActionError) as caught:
        clean_email(raw)
    assert caught.value.field == "email"
    with pytest.raises(ValidationError):
        validate_email(raw)
