import datetime as dt

import pytest

from leadtracker.testing import publish_version


@pytest.fixture
def notice_in_effect(acme):
    return publish_version(acme.org)


@pytest.fixture
def later():
    return lambda **kw: dt.timedelta(**kw)
