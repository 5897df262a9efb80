"""Every response says which browser features its page may use: camera, microphone, payment,
USB and the like never; the location only on the pages with the punch button (an agent's day,
which is also an agent's home page, and attendance), and only for our own origin.

Every page, walked as the owner, as an agent and signed out, is checked in test_every_page.py
(one walk for its checks: test_only_the_punch_pages_may_ask_for_the_location and
test_no_page_may_use_the_camera_the_microphone_or_payment); the browser test
e2e/test_permissions_policy.py checks that Chromium obeys it.
"""

import pytest
from django.test import Client

from leadtracker.testing import login_client, make_org

# Headers the middleware sets, whatever the rows: the PostgreSQL pass leaves these to the SQLite
# pass (conftest.py).
pytestmark = pytest.mark.same_on_every_database(reason="response headers set by the middleware")

ALWAYS_OFF = ("camera", "microphone", "payment", "usb", "serial", "hid", "display-capture", "midi")


def policy(response, url=None) -> dict[str, str]:
    """The features of a response's Permissions-Policy (a test client's response, or an answer of
    test_every_page.py's walk with its URL), after checking that those of ALWAYS_OFF are off."""
    header = response.get("Permissions-Policy")
    assert header, (
        url or response.request["PATH_INFO"],
        getattr(response, "status_code", None) or response.status,
    )
    features = dict(item.strip().split("=", 1) for item in header.split(","))
    for name in ALWAYS_OFF:
        assert features.get(name) == "()", (name, header)
    return features


def test_a_managers_home_is_the_dashboard_without_the_location(db):
    people = make_org("acme")
    client = login_client(people.maya)
    assert policy(client.get("/"))["geolocation"] == "()"
    assert policy(client.get("/attendance/"))["geolocation"] == "(self)"  # managers punch too


def test_api_static_files_errors_and_signed_out_pages_carry_it(db):
    client = Client()
    for url in ("/login/", "/", "/api/v1/health", "/api/v1/me", "/no-such-page/", "/static/css/app.css"):
        assert policy(client.get(url))["geolocation"] == "()", url
