"""The pairing link a phone opens (/p/ABCD-EFGH): public, the code is the secret. A usable
code shows the one line to paste into Termux, built from SITE_URL; a used, expired or unknown
one says to make a new one (404); too many wrong ones from one address answer 429, counted
with the pairing API's failures. The Phones page's QR code of the link is an SVG."""

import datetime as dt
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from leadtracker.accounts.audit import Actor
from leadtracker.calls import actions
from leadtracker.calls.models import PairingCode

SITE = "https://crm.example.in"


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = SITE


def code_for(member) -> str:
    return actions.create_pairing_code(member, actor=Actor.system(), by=None)[1]


def test_a_usable_code_shows_the_line_to_paste(acme):
    code = code_for(acme.alice)
    response = Client().get(f"/p/{code}")
    assert response.status_code == 200
    page = response.content.decode()
    line = f"pkg install -y curl &amp;&amp; curl -fsSL {SITE}/agent/install.sh | sh -s -- {SITE}/p/{code}"
    assert line in page
    assert 'data-copy="one-line"' in page and "js/phone_setup.js" in page
    for app in ("com.termux/", "com.termux.api/", "com.termux.boot/"):
        assert f"https://f-droid.org/packages/{app}" in page
    for maker in ("Xiaomi", "Vivo", "Oppo", "Realme", "Samsung", "OnePlus"):
        assert maker in page
    assert acme.org.name in page
    # Loosely typed (a phone keyboard's lower case, no dash): the same code, the canonical line.
    loose = Client().get(f"/p/{code.lower().replace('-', '')}")
    assert loose.status_code == 200 and f"{SITE}/p/{code}" in loose.content.decode()


def test_the_line_comes_from_site_url_not_the_host_header(acme, settings):
    settings.ALLOWED_HOSTS = ["testserver", "other.example"]
    code = code_for(acme.alice)
    page = Client().get(f"/p/{code}", HTTP_HOST="other.example").content.decode()
    assert "other.example" not in page and f"{SITE}/p/{code}" in page


@pytest.mark.parametrize(
    ("state", "words"), [("used", "used already"), ("expired", "expired"), ("unknown", "not a pairing link")]
)
def test_a_code_that_cannot_pair_says_to_make_a_new_one(acme, state, words):
    code = code_for(acme.alice)
    if state == "used":
        actions.pair_device(code, name="First phone", actor=Actor.system())
    elif state == "expired":
        PairingCode.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    else:
        code = "ZZZZ-ZZZZ"
    response = Client().get(f"/p/{code}")
    assert response.status_code == 404
    page = response.content.decode()
    assert words in page and "Make a new one" in page
    assert "install.sh" not in page


def test_wrong_codes_are_throttled_with_the_pairing_api(acme, settings):
    settings.PAIRING_FAILURES_PER_ADDRESS = 3
    good = code_for(acme.alice)
    client = Client()
    assert (
        client.post(
            "/api/v1/devices/pair", {"code": "AAAA-AAAA"}, content_type="application/json"
        ).status_code
        == 400
    )
    for n in range(2):
        assert client.get(f"/p/BBBB-BBB{n + 2}").status_code == 404
    refused = client.get(f"/p/{good}")
    assert refused.status_code == 429 and int(refused["Retry-After"]) > 0
    assert "Too many tries" in refused.content.decode()
    # The API counts this page's failures too.
    assert (
        client.post("/api/v1/devices/pair", {"code": good}, content_type="application/json").status_code
        == 429
    )


def test_the_qr_code_is_an_svg_of_the_link_for_people_signed_in(acme, as_member):
    code = code_for(acme.alice)
    assert Client().get(f"/p/{code}/qr.svg").status_code == 302  # to the login page
    response = as_member(acme.alice).get(f"/p/{code}/qr.svg")
    assert response.status_code == 200 and response["Content-Type"] == "image/svg+xml"
    assert response.content.lstrip().startswith(b"<?xml") and b"<svg" in response.content
    assert as_member(acme.alice).get("/p/not-a-code/qr.svg").status_code == 404


def test_the_phones_page_shows_the_qr_code_of_a_new_code(acme, as_member):
    page = as_member(acme.alice).post(reverse("devices")).content.decode()
    code = re.search(r'id="pairing-code">([A-Z0-9]{4}-[A-Z0-9]{4})<', page).group(1)
    assert f'src="/p/{code}/qr.svg"' in page and f'href="/p/{code}"' in page
