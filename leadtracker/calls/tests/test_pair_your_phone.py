"""The phones page with no phone paired says what to do next: pair one, step by step."""

import pytest

from leadtracker.testing import paired_client


@pytest.mark.django_db
def test_no_phone_paired_shows_the_steps_and_a_paired_one_the_table(acme, as_member):
    page = as_member(acme.alice).get("/devices/").content.decode()
    assert "Pair your phone" in page and "Make a pairing code" in page and "<table" not in page
    paired_client(acme.alice, name="Alice's phone")
    page = as_member(acme.alice).get("/devices/").content.decode()
    assert "Pair your phone" not in page and "Alice&#x27;s phone" in page and "<table" in page
