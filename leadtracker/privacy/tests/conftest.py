import datetime as dt

import pytest

from leadtracker.testing import publish_version


@pytest.fixture
def notice_in_effect(acme):
    return publish_version(acme.org)


@pytest.fixture
def later():
    return lambda **kw: dt.timedelta(**kw)


@pytest.fixture
def ledger_file(settings, tmp_path):
    """A ledger of erasures of the test's own, so that no test replays another's."""
    settings.ERASURE_LEDGER_PATH = tmp_path / "ledger.jsonl"
    return settings.ERASURE_LEDGER_PATH
