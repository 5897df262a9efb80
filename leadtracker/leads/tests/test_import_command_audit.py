"""The command-line import writes its audit event when it starts and when it ends, so a run
that was killed leaves a trace (issue 15 item 2)."""

import io
import signal
import subprocess
import sys
import time

import pytest
from django.core.management import call_command
from django.db import connection

from leadtracker.accounts.models import AuditEvent
from leadtracker.leads.models import Lead
from leadtracker.leads.tests.test_import_resume import sheet


def events(org):
    return AuditEvent.objects.filter(organisation=org, action__startswith="lead.import").order_by("pk")


def test_the_command_audits_its_start_and_its_end(acme, tmp_path):
    path = sheet(tmp_path / "diwali-leads.csv", rows=300)
    call_command("import_leads", str(path), org="acme", stdout=io.StringIO(), stderr=io.StringIO())
    started, ended = events(acme.org)
    assert (started.action, started.object_type, started.object_id) == (
        "lead.import_started",
        "file",
        "diwali-leads.csv",
    )
    assert started.changes == {"on_duplicate": "skip", "owner_id": None}
    assert (ended.action, ended.object_type, ended.object_id) == ("lead.import", "file", "diwali-leads.csv")
    assert ended.changes["rows"] == 300 and ended.changes["created"] == Lead.objects.count()
    assert set(ended.changes) == {"rows", "created", "updated", "duplicates", "errors", "warnings"}


@pytest.mark.django_db(transaction=True)
def test_a_killed_command_leaves_its_start(acme, tmp_path):
    from leadtracker.accounts.tests.test_worker import worker_env

    path = sheet(tmp_path / "big-leads.csv", rows=20_000)
    connection.close()
    command = subprocess.Popen(
        [sys.executable, "-m", "leadtracker.cli", "import-leads", str(path), "--org", "acme"],
        env=worker_env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 120
        while not Lead.objects.filter(organisation=acme.org).exists():
            assert command.poll() is None and time.monotonic() < deadline, "the import never wrote a lead"
            time.sleep(0.01)
        command.send_signal(signal.SIGKILL)
        command.wait(10)
    finally:
        if command.poll() is None:
            command.kill()
    assert Lead.objects.filter(organisation=acme.org).count() < 20_000, "killed too late"
    [started] = events(acme.org)
    assert (started.action, started.object_id) == ("lead.import_started", "big-leads.csv")
