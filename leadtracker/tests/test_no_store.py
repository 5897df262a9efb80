"""No answer of the app may be kept by a browser's or a shared proxy's cache: every page, every
JSON answer and every download (CSV, XLSX, the import's error report, an access export's zip)
says ``Cache-Control: no-store``. Static files are the exception: they hold no personal data
and keep their caching.

The pages are checked in test_every_page.py (test_every_page_of_a_signed_in_person_is_no_store,
on one walk of every page for all its checks) and the API here, every GET operation of the
OpenAPI schema (ids filled by the tenancy factories), so a page or operation added later is
covered too.
"""

import re

import pytest
from django.test import Client

from leadtracker.api import api
from leadtracker.leads.models import ImportJob, ImportState
from leadtracker.privacy.export.tasks import build_export
from leadtracker.privacy.models import AccessExport
from leadtracker.testing import login_client, make_org, token_client
from leadtracker.tests.tenancy import FACTORIES, PUBLIC_PARAMETERS

# Headers the middleware sets, whatever the rows: the PostgreSQL pass leaves these to the SQLite
# pass (conftest.py).
pytestmark = pytest.mark.same_on_every_database(reason="response headers set by the middleware")


def no_store(response) -> bool:
    return "no-store" in response.get("Cache-Control", "")


def api_get_urls(people):
    made = {}  # one object per parameter name: GETs only read
    for path, methods in api.get_openapi_schema()["paths"].items():
        if "get" not in methods:
            continue
        names = re.findall(r"{(\w+)}", path)
        if any(n in PUBLIC_PARAMETERS for n in names):
            continue
        for n in names:
            if n not in made:
                made[n] = FACTORIES[n](people)
        yield re.sub(r"{(\w+)}", lambda m: str(made[m.group(1)]), path)


@pytest.fixture
def people(db, settings, tmp_path):
    settings.PRIVATE_FILES_DIR = tmp_path / "private"
    settings.API_RATE_AUTHENTICATED = "100000/m"
    return make_org("acme")


def downloads(people):
    """The files the app hands out, each in a state where it really is handed out."""
    lead_id = FACTORIES["lead_id"](people)
    job = ImportJob.objects.create(
        organisation=people.org, file_name="x.csv", headers=["Name", "Phone"], state=ImportState.DONE
    )
    export = AccessExport.objects.create(organisation=people.org, lead_id=lead_id)
    assert build_export(export.pk) == "ready"
    return {
        "/leads/export/?format=csv": "text/csv",
        "/leads/export/?format=xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        f"/leads/import/{job.pk}/errors/": "text/csv",
        f"/settings/privacy/exports/{export.pk}/download/": "application/zip",
        "/audit/export.csv": "text/csv",
        "/dashboard/data.csv?chart=agents": "text/csv",
        "/attendance/timesheets/?format=csv": "text/csv",
        "/api/v1/leads/export?format=csv": "text/csv",
        f"/api/v1/imports/{job.pk}/errors": "text/csv",
    }


def test_every_download_is_no_store(people):
    client = login_client(people.olga)
    for url, content_type in downloads(people).items():
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        assert response["Content-Type"].startswith(content_type), (url, response["Content-Type"])
        assert response["Cache-Control"] == "no-store", url


def test_every_api_answer_is_no_store(people):
    client = token_client(people.olga)
    answers = {url: client.get(url) for url in api_get_urls(people)}
    assert sum(r.status_code == 200 for r in answers.values()) >= 30
    stored = {url: (r.status_code, r.get("Cache-Control")) for url, r in answers.items() if not no_store(r)}
    assert not stored, stored


def test_signed_out_answers_are_no_store_and_static_files_keep_their_caching(db):
    client = Client()
    for url in ("/login/", "/", "/api/v1/health", "/api/v1/openapi.json", "/no-such-page/", "/favicon.ico"):
        assert no_store(client.get(url)), url
    for url in ("/static/css/app.css", "/static/js/punch.js"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert not no_store(response), (url, response.get("Cache-Control"))
        assert "max-age" in response["Cache-Control"], url
