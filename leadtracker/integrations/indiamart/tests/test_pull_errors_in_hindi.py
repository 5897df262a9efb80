"""IndiaMART's pull errors on the health panel read in the reader's language (issue 20 §3);
last_error keeps the English, which a good pull recognises and clears (with what to say)."""

import datetime as dt
from html import unescape

import pytest
import time_machine

from leadtracker.integrations.indiamart.tests.test_indiamart_pull import START, poll_and_work
from leadtracker.integrations.tests.util import connector
from leadtracker.testing import hindi_client, login_client


@pytest.fixture
def clock():
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


def _text(client, path) -> str:
    return " ".join(unescape(client.get(path).content.decode()).split())


def test_a_refused_key_reads_in_hindi_and_a_good_pull_clears_it(acme, indiamart, clock):
    made, _ = connector(acme, "indiamart", key="an-old-key")
    poll_and_work(made)
    assert made.last_error.startswith("IndiaMART refused the key")
    assert made.last_error_said == {"id": made.last_error}
    page = f"/settings/integrations/{made.pk}/"
    assert "IndiaMART ने CRM key नहीं मानी।" in _text(hindi_client(acme.adam), page)
    assert "IndiaMART refused the key" in _text(login_client(acme.olga), page)
    made.secrets = {"key": indiamart.key}
    made.save(update_fields=["sealed_secrets"])
    clock.shift(dt.timedelta(minutes=6))
    poll_and_work(made)
    assert (made.last_error, made.last_error_said) == ("", {})


def test_out_of_reach_keeps_the_reason_as_a_value(acme, indiamart, clock):
    made, _ = connector(acme, "indiamart", key=indiamart.key)
    indiamart.close()
    poll_and_work(made)
    hindi = _text(hindi_client(acme.adam), f"/settings/integrations/{made.pk}/")
    assert "IndiaMART से लीड नहीं ली जा सकीं (IndiaMART तक पहुँच नहीं हुई); 5 मिनट में फिर कोशिश होगी।" in hindi
    # The record keeps the English.
    assert made.last_error.startswith("IndiaMART could not be read (could not reach IndiaMART);")
