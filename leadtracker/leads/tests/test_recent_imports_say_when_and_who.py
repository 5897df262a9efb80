"""The import page's recent imports say when each was uploaded and by whom: two imports of the
same file (a manager trying again) were otherwise two identical rows."""

import datetime as dt

import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from leadtracker.testing import html_region


def at(text):
    return time_machine.travel(dt.datetime.fromisoformat(text), tick=False)


def test_each_recent_import_says_when_and_who(acme, as_member):
    sheet = b"Name,Mobile\nAsha,9876500001\n"
    with at("2026-12-06T16:10:00+05:30"):
        upload = SimpleUploadedFile("leads.csv", sheet, "text/csv")
        assert as_member(acme.maya).post("/leads/import/", {"file": upload}).status_code == 302
    with at("2026-12-07T11:05:00+05:30"):
        page = as_member(acme.olga).get("/leads/import/").content.decode()
    cells = [text for tag, _classes, text in html_region(page, "recent-imports").elements if tag == "td"]
    assert "Yesterday, 4:10 pm" in cells and "Maya Acme" in cells
