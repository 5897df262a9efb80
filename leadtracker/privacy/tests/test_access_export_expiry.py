"""An export can be downloaded for the organisation's export period (7 days by default); then
the download answers 410 and the retention purge deletes the file and marks the export expired."""

import datetime as dt
from pathlib import Path

import pytest
from django.utils import timezone

from leadtracker.privacy.export.tasks import build_export
from leadtracker.privacy.models import AccessExport, PrivacySettings
from leadtracker.privacy.retention import purge as retention
from leadtracker.privacy.tests.export_util import lead_with_history
from leadtracker.testing import clocks, login_client, token_client

WORDS = ["Amber", "Banyan", "Cobalt", "Dahlia", "Ember", "Fennel", "Garnet", "Hazel", "Indigo", "Jasmine"]


@pytest.fixture(autouse=True)
def private_dir(settings, tmp_path):
    settings.PRIVATE_FILES_DIR = tmp_path / "private"
    return settings.PRIVATE_FILES_DIR


def built(people, phone="+919876543210", **kw):
    lead, *_ = lead_with_history(people, name="Ravi Kumar", phones=[phone], email="", words=WORDS)
    export = AccessExport.objects.create(organisation=people.org, lead=lead)
    assert build_export(export.pk, **kw) == "ready"
    export.refresh_from_db()
    return export


@clocks("month-end", "29-february")
def test_expires_after_the_organisations_period_and_the_purge_deletes_the_file(
    frozen_at, acme, globex, private_dir
):
    PrivacySettings.objects.create(organisation=acme.org, export_days=3)
    now = timezone.now()
    export = built(acme, now=now)
    theirs = built(globex, now=now)
    assert export.expires_at == now + dt.timedelta(days=3)
    assert theirs.expires_at == now + dt.timedelta(days=7)  # the default
    path = Path(private_dir) / export.file_name
    assert path.is_file() and path.parent.name == "exports"

    # Within the period: downloadable; the purge leaves it.
    assert retention.purge(org_slug="acme", now=now + dt.timedelta(days=2))["acme"]["exports"] == 0
    assert path.is_file()

    later = now + dt.timedelta(days=3, minutes=1)
    assert retention.purge(now=later, dry_run=True)["acme"]["exports"] == 1
    assert path.is_file()  # a dry run only counts
    report = retention.purge(now=later)
    assert report["acme"]["exports"] == 1 and report["globex"]["exports"] == 0
    assert not path.exists()
    export.refresh_from_db()
    assert (export.status, export.file_name) == ("expired", "")
    theirs.refresh_from_db()
    assert theirs.status == "ready" and (Path(private_dir) / theirs.file_name).is_file()

    response = login_client(acme.adam).get(f"/settings/privacy/exports/{export.pk}/download/")
    assert response.status_code == 410 and "expired" in response.content.decode()
    assert token_client(acme.adam).get(f"/api/v1/privacy/exports/{export.pk}/download").status_code == 410


def test_past_its_date_it_is_refused_before_the_purge_comes_round(acme):
    export = built(acme, now=timezone.now() - dt.timedelta(days=8))
    response = token_client(acme.adam).get(f"/api/v1/privacy/exports/{export.pk}/download")
    assert response.status_code == 410 and response.json()["errors"][0]["field"] == "export"
    assert token_client(acme.adam).get(f"/api/v1/privacy/exports/{export.pk}").json()["status"] == "expired"
    page = login_client(acme.adam).get(f"/settings/privacy/exports/{export.pk}/").content.decode()
    assert "Expired" in page and "Download the zip" not in page
    export.refresh_from_db()
    assert export.downloads == 0


def test_the_file_name_is_unguessable_and_the_file_complete(acme, private_dir):
    import hashlib

    first, second = built(acme), built(acme, phone="+919812345678")
    assert first.file_name != second.file_name and len(Path(first.file_name).stem) >= 32
    data = (Path(private_dir) / first.file_name).read_bytes()
    assert hashlib.sha256(data).hexdigest() == first.sha256 and len(data) == first.size_bytes
    # No half-written file is left beside it.
    assert sorted(p.name for p in (Path(private_dir) / "exports").iterdir()) == sorted(
        Path(x.file_name).name for x in (first, second)
    )
