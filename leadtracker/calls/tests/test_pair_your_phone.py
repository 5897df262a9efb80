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


@pytest.mark.django_db
def test_a_code_made_for_oneself_offers_to_set_up_this_phone(acme, as_member):
    """Alice works on her phone: the code's card told her to scan a QR code shown on that same
    phone, or to run a command; one tap on "Set up this phone" opens the pairing link's page
    (apps to install, the line to paste). A code a manager makes for someone else has no such
    button: it is for the other person's phone."""
    import re

    page = as_member(acme.alice).post("/devices/").content.decode()
    code = re.search(r'id="pairing-code">([^<]+)<', page).group(1)
    assert f'<a class="button primary" href="/p/{code}">Set up this phone</a>' in page
    assert page.index("Set up this phone") < page.index('class="pair-qr"')
    for_alice = as_member(acme.maya).post("/devices/", {"member": acme.alice.pk}).content.decode()
    assert "pairing-code" in for_alice and "Set up this phone" not in for_alice
