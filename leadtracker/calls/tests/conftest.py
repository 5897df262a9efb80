"""The calls tests' fixtures; their helpers (a paired phone, a shift, a call row, a sync) are in
leadtracker/testing.py, shared with the other apps' tests."""

import pytest

from leadtracker.accounts.tests.push_service import service  # noqa: F401 - a push service on loopback
from leadtracker.testing import open_shift, paired_client, start_test_clock


@pytest.fixture(autouse=True)
def _anchor():
    """The test's "now" is read as it starts (after a clock moved by ``frozen_at``)."""
    start_test_clock()


@pytest.fixture
def phone(acme):
    """Alice's paired phone, with Alice on shift since 8 hours ago."""
    open_shift(acme.alice)
    return paired_client(acme.alice)
