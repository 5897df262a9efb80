"""A real `leadtracker worker` killed (SIGKILL) while it stores a window of IndiaMART enquiries,
then a worker started again: every enquiry becomes exactly one lead."""

import datetime as dt
import os
import signal
import subprocess
import sys

import pytest
from django.db import connection
from django.utils import timezone

from leadtracker.accounts.models import PeriodicJobRun
from leadtracker.accounts.tests.test_worker import worker_env
from leadtracker.integrations.indiamart.tests.fake_indiamart import FakeIndiaMART, enquiry
from leadtracker.integrations.models import Connector, Payload, PayloadStatus
from leadtracker.integrations.tests.util import connector
from leadtracker.leads.models import Lead
from leadtracker.testing import wait_until

ENQUIRIES = 150


def worker(fake, *args):
    env = {**worker_env(), "INDIAMART_API_URL": fake.url}
    connection.close()  # let the other process write (SQLite allows one writer)
    return subprocess.Popen(
        [sys.executable, "-m", "leadtracker.cli", "worker", *args],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


@pytest.mark.slow(reason="starts a worker process, kills it mid-window and runs another to the end")
@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_window_misses_and_doubles_nothing(acme):
    fake = FakeIndiaMART()
    fake.enforce_rate = False  # the test moves the connector's clock on; IndiaMART's stays real
    now = timezone.now()
    fake.enquiries += [enquiry(n, at=now - dt.timedelta(minutes=n % 600)) for n in range(ENQUIRIES)]
    seller, _ = connector(acme, "indiamart", key=fake.key)
    first = worker(fake, "--interval", "0.2")
    try:
        # A worker process starts in a second or two, in over 30 s on a machine at load 25-40.
        wait_until(lambda: Payload.objects.count() >= 20, "the worker storing the window", timeout=120)
    finally:
        os.kill(first.pid, signal.SIGKILL)  # no goodbye: as the OOM killer or a power cut does
        first.wait(10)
    stored = Payload.objects.count()
    seller.refresh_from_db()
    assert 20 <= stored < ENQUIRIES, f"{stored} stored: the kill did not fall in the window"
    assert "until" not in seller.cursor  # killed before the cursor moved
    # Five minutes later (the pull booked its next turn 5 minutes ahead, and the periodic poll
    # its next minute), a worker runs again.
    past = (timezone.now() - dt.timedelta(minutes=6)).isoformat()
    Connector.objects.filter(pk=seller.pk).update(cursor={**seller.cursor, "next_pull_at": past})
    PeriodicJobRun.objects.update(last_run_at=timezone.now() - dt.timedelta(minutes=6))
    again = worker(fake, "--once")
    try:
        assert again.wait(240) == 0
    finally:
        fake.close()
        if again.poll() is None:  # timed out: not left writing while the database is flushed
            again.kill()
            again.wait()
    assert len(fake.calls) == 2  # the same window, read again
    assert Payload.objects.count() == ENQUIRIES
    assert set(Payload.objects.values_list("status", flat=True)) == {PayloadStatus.DONE}
    phones = list(Lead.objects.filter(organisation=acme.org).values_list("phone", flat=True))
    assert len(phones) == len(set(phones)) == ENQUIRIES
    seller.refresh_from_db()
    assert seller.cursor["until"]
