"""The export is built by a real `leadtracker worker` process, from the job the request enqueued."""

from pathlib import Path

import pytest

from leadtracker.accounts.tests.test_worker import run_worker
from leadtracker.privacy.models import AccessExport
from leadtracker.privacy.tests.export_util import lead_with_history, read_zip
from leadtracker.testing import login_client

WORDS = ["Amber", "Banyan", "Cobalt", "Dahlia", "Ember", "Fennel", "Garnet", "Hazel", "Indigo", "Jasmine"]


@pytest.mark.django_db(transaction=True)
def test_the_worker_builds_the_export_the_admin_asked_for(acme, settings, tmp_path, monkeypatch):
    private = tmp_path / "private"
    settings.PRIVATE_FILES_DIR = private
    monkeypatch.setenv("LEADTRACKER_PRIVATE_DIR", str(private))  # the worker's settings read it
    lead, *_ = lead_with_history(acme, name="Ravi Kumar", phones=["+919876543210"], email="", words=WORDS)
    response = login_client(acme.adam).post("/settings/privacy/exports/", {"phone": "+91 98765 43210"})
    assert response.status_code == 302

    result = run_worker()
    assert result.returncode == 0, result.stderr

    export = AccessExport.objects.get(organisation=acme.org)
    assert (export.status, export.progress, export.error) == ("ready", 100, "")
    path = Path(private) / export.file_name
    person, tables = read_zip(path.read_bytes())
    assert person["about"]["subject"] == {"kind": "lead", "id": lead.pk}
    assert {r["note"] for r in tables["follow_ups"]} == {"Follow Garnet", "Follow Hazel"}
    # Only the owner may read it: it is personal data outside static and media.
    assert path.parent.stat().st_mode & 0o077 == 0
