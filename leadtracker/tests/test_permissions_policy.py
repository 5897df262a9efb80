"""Every response says which browser features its page may use: camera, microphone, payment,
USB and the like never; the location only on the pages with the punch button (an agent's day,
which is also an agent's home page, and attendance), and only for our own origin.

Pages come from walking every URL pattern as an agent and as the owner; the browser test
e2e/test_permissions_policy.py checks that Chromium obeys it.
"""

import pytest
from django.test import Client

from leadtracker.testing import login_client, make_org
from leadtracker.tests.test_csp_pages import walk_urls

# Headers the middleware sets, whatever the rows: the PostgreSQL pass leaves these walks to the
# SQLite pass (test_csp_pages.py walks every page on both).
pytestmark = pytest.mark.same_on_every_database(reason="response headers set by the middleware")

ALWAYS_OFF = ("camera", "microphone", "payment", "usb", "serial", "hid", "display-capture", "midi")


def policy(response) -> dict[str, str]:
    header = response.get("Permissions-Policy")
    assert header, (response.request["PATH_INFO"], response.status_code)
    features = dict(item.strip().split("=", 1) for item in header.split(","))
    for name in ALWAYS_OFF:
        assert features.get(name) == "()", (name, header)
    return features


def test_only_the_punch_pages_may_ask_for_the_location(db):
    punch_pages = {"/", "/my-day/", "/attendance/"}  # an agent's home page is their day
    people = make_org("acme")
    client = login_client(people.alice)
    geolocation = {}
    for url in walk_urls(people):
        response = client.get(url)
        geolocation[url] = (policy(response)["geolocation"], response.status_code)
    allowed = {url for url, (allow, _status) in geolocation.items() if allow != "()"}
    assert allowed == punch_pages, geolocation
    assert {geolocation[url] for url in punch_pages} == {("(self)", 200)}


def test_a_managers_home_is_the_dashboard_without_the_location(db):
    people = make_org("acme")
    client = login_client(people.maya)
    assert policy(client.get("/"))["geolocation"] == "()"
    assert policy(client.get("/attendance/"))["geolocation"] == "(self)"  # managers punch too


def test_api_static_files_errors_and_signed_out_pages_carry_it(db):
    client = Client()
    for url in ("/login/", "/", "/api/v1/health", "/api/v1/me", "/no-such-page/", "/static/css/app.css"):
        assert policy(client.get(url))["geolocation"] == "()", url
