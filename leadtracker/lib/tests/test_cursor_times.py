"""A list's cursor holding a time UTC cannot hold (year 9999 at a western offset, year 1 at an
eastern one) is no cursor a list gave out: refused like any other (400 naming cursor; the leads
page starts again at the top), never a 500 from the database's conversion (SQLite)."""

import pytest

from leadtracker.lib.pagination import encode_cursor


@pytest.mark.parametrize("moment", ["9999-12-31T23:59:59-05:00", "0001-01-01T00:00:00+05:30"])
def test_a_crafted_cursor_is_refused(acme, api_as, as_member, moment):
    cursor = encode_cursor([moment, 1])
    api = api_as(acme.olga)
    for url in ("/api/v1/leads?sort=created", "/api/v1/calls?", "/api/v1/leads/trash?"):
        response = api.get(f"{url}&cursor={cursor}")
        assert response.status_code == 400, (url, response.status_code)
        assert response.json()["errors"][0]["field"] == "cursor"
    page = as_member(acme.olga).get(f"/leads/?sort=created&cursor={cursor}")
    assert page.status_code == 302 and "cursor" not in page["Location"]
