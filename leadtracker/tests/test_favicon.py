"""The favicon: every page names an SVG and a PNG icon kept among the static files (nothing
fetched from elsewhere), and /favicon.ico leads to an ICO among them."""

import re

from django.contrib.staticfiles import finders
from django.templatetags.static import static


def test_pages_name_icons_that_are_static_files(acme, as_member):
    for client in (as_member(acme.alice), None):
        page = (client.get("/my-day/") if client else _anonymous_login_page()).content.decode()
        links = dict(re.findall(r'<link rel="(?:icon|apple-touch-icon)" href="([^"]+)" type="([^"]+)"', page))
        assert set(links.values()) == {"image/svg+xml", "image/png"}, links
        for href in re.findall(r'<link rel="(?:icon|apple-touch-icon)" href="([^"]+)"', page):
            assert href.startswith(static("")), href
            assert finders.find(href.removeprefix(static(""))), href


def _anonymous_login_page():
    from django.test import Client

    return Client().get("/login/")


def test_favicon_ico_leads_to_the_static_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 302 and response["Location"] == static("favicon.ico")
    with open(finders.find("favicon.ico"), "rb") as f:
        assert f.read(4) == b"\x00\x00\x01\x00"  # an ICO
