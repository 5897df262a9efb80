"""The Exotel tests' line: the organisation's connector, and a fake Exotel API when a test clicks
to call."""

import pytest

from leadtracker.integrations.telephony.tests.fake_lines import FakeLine
from leadtracker.integrations.tests.util import connector

EXOPHONE = "08047091234"


@pytest.fixture
def exotel(settings):
    with FakeLine("exotel", account="acme1", user="key1", password="token1") as fake:
        settings.EXOTEL_API_URL = fake.url
        yield fake


@pytest.fixture
def line(acme):
    made, _ = connector(acme, "exotel", sid="acme1", api_key="key1", api_token="token1", caller_id=EXOPHONE)
    return made
