"""The hook answers at once and the real worker process (`leadtracker worker --once`) makes the
lead from the payload it queued: nothing is processed in the request."""

import pytest

from leadtracker.accounts.tests.test_worker import run_worker
from leadtracker.integrations.models import Payload
from leadtracker.integrations.tests.util import connector, post_json
from leadtracker.leads.models import Lead


@pytest.mark.slow(reason="starts the worker as its own process, as production runs it")
@pytest.mark.django_db(transaction=True)
def test_the_worker_makes_the_lead_the_hook_queued(acme, client):
    hook, generated = connector(acme, "google-ads")
    body = {
        "lead_id": "w-1",
        "google_key": generated["key"],
        "user_column_data": [
            {"column_id": "FULL_NAME", "string_value": "Farah Khan"},
            {"column_id": "PHONE_NUMBER", "string_value": "98200 11223"},
        ],
    }
    assert post_json(client, hook, body).status_code == 200
    assert Payload.objects.get().status == "received" and not Lead.objects.exists()
    result = run_worker()
    assert result.returncode == 0, result.stderr
    payload = Payload.objects.get()
    assert payload.status == "done", payload.error
    assert Lead.objects.get(pk=payload.lead_id).name == "Farah Khan"
