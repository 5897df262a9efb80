import pytest

from leadtracker.testing import start_test_clock


@pytest.fixture(autouse=True)
def _anchor():
    """The test's "now", which call rows are built back from, is read as it starts (after a clock
    moved by ``frozen_at``), as in the calls tests."""
    start_test_clock()
