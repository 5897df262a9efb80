import pytest

from leadtracker.integrations.indiamart.tests.fake_indiamart import FakeIndiaMART


@pytest.fixture
def indiamart(settings):
    """IndiaMART's pull API on loopback, where INDIAMART_API_URL points."""
    fake = FakeIndiaMART()
    settings.INDIAMART_API_URL = fake.url
    yield fake
    fake.close()
