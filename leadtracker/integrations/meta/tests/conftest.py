import pytest

from leadtracker.integrations.meta.graph import _FORM_NAMES
from leadtracker.integrations.meta.tests.deliveries import APP_SECRET
from leadtracker.integrations.meta.tests.fake_graph import FakeGraph
from leadtracker.integrations.tests.util import connector


@pytest.fixture
def graph(settings):
    fake = FakeGraph()
    settings.META_GRAPH_URL = fake.url
    _FORM_NAMES.clear()
    yield fake
    fake.close()


@pytest.fixture
def facebook(acme, graph):
    made, _generated = connector(
        acme, "facebook", app_secret=APP_SECRET, verify_token="verify-me", page_token=graph.token
    )
    return made
