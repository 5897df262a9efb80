"""On a 360-pixel phone an admin opens an access request, prepares the export, watches the
real worker build it, downloads the zip and finds the lead's notes, follow-ups and calls in it."""

import re
import zipfile

import pytest
from playwright.sync_api import expect

from e2e.conftest import JOB_DEADLINE_MS
from leadtracker.privacy.models import AccessExport
from leadtracker.privacy.tests.export_util import lead_with_history
from leadtracker.privacy.tests.requests_util import make_request

NO_SIDEWAYS_SCROLL = "document.documentElement.scrollWidth <= window.innerWidth"
WORDS = ["Amber", "Banyan", "Cobalt", "Dahlia", "Ember", "Fennel", "Garnet", "Hazel", "Indigo", "Jasmine"]


@pytest.fixture
def private_dir(settings, tmp_path, monkeypatch):
    path = tmp_path / "private"
    settings.PRIVATE_FILES_DIR = path
    monkeypatch.setenv("LEADTRACKER_PRIVATE_DIR", str(path))
    return path


@pytest.fixture
def worker(start_worker, private_dir):
    """A real worker, started after the page has been seen waiting, so the test sees the
    queued state before the worker takes the job."""
    return start_worker


def test_admin_prepares_and_downloads_an_access_export_on_a_phone(phone, live_server, people, login, worker):
    lead, *_ = lead_with_history(
        people,
        name="रवि कुमार",
        phones=["+919876543210"],
        email="ravi@example.in",
        words=WORDS,
    )
    other, *_ = lead_with_history(
        people,
        name="Sunita Sharma",
        phones=["+919900112233"],
        email="sunita@example.in",
        words=[w + "x" for w in WORDS],
    )
    req = make_request(people, lead=lead)
    login(phone, live_server.url, "adam@acme.test", home=False)

    phone.goto(f"{live_server.url}/settings/privacy/requests/{req.pk}/")
    expect(phone.locator("h1")).to_have_text(f"Access request #{req.pk}")
    assert phone.evaluate(NO_SIDEWAYS_SCROLL)
    phone.click("button:has-text('Prepare export')")

    export = AccessExport.objects.get(data_request=req)
    expect(phone).to_have_url(re.compile(rf"/settings/privacy/exports/{export.pk}/$"))
    expect(phone.locator(".flash")).to_contain_text(f"Export #{export.pk} is being prepared")
    expect(phone.locator(".export-status")).to_have_text("Queued")
    expect(phone.locator("progress")).to_be_visible()
    assert phone.evaluate(NO_SIDEWAYS_SCROLL)

    worker()  # the page polls by itself; no reload
    expect(phone.locator(".export-status")).to_have_text("Ready", timeout=JOB_DEADLINE_MS)
    expect(phone.locator("progress")).to_have_count(0)
    assert phone.evaluate(NO_SIDEWAYS_SCROLL)

    with phone.expect_download() as download:
        phone.click("a:has-text('Download the zip')")
    path = download.value.path()
    assert download.value.suggested_filename == f"access-export-{export.pk}.zip"
    with zipfile.ZipFile(path) as zf:
        names = set(zf.namelist())
        assert {"person.json", "leads.csv", "activities.csv", "follow_ups.csv", "calls.csv"} <= names
        everything = "\n".join(zf.read(n).decode("utf-8") for n in names)
    assert "रवि कुमार" in everything and "ravi@example.in" in everything
    for word in ["Note Ember", "Note Fennel", "Follow Garnet", "Follow Hazel", "Call Indigo", "Call Jasmine"]:
        assert word in everything, word
    assert "Sunita" not in everything and "9900112233" not in everything and "Amberx" not in everything

    export.refresh_from_db()
    assert export.downloads == 1

    phone.goto(f"{live_server.url}/settings/privacy/exports/")
    row = phone.locator("li.card", has_text=f"Export #{export.pk}")
    expect(row).to_contain_text("रवि कुमार")
    expect(row.locator(".badge")).to_have_text("Ready")
    assert phone.evaluate(NO_SIDEWAYS_SCROLL)
