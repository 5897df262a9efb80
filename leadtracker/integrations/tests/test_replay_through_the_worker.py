"""A replay goes through the real worker: the failed payload's job is queued with its new
status (one transaction), the worker process makes the one lead, and a second replay of the
same payload changes nothing."""

import pytest
from django_tasks_db.models import DBTaskResult

from leadtracker.accounts.audit import Actor
from leadtracker.accounts.tests.test_worker import run_worker
from leadtracker.integrations.actions import process_payload_job, update_connector
from leadtracker.integrations.models import Payload, PayloadStatus
from leadtracker.integrations.tests.util import connector, post_json, work_off
from leadtracker.leads.models import Lead
from leadtracker.testing import login_client


@pytest.mark.slow(reason="starts the worker as its own process, as production runs it")
@pytest.mark.django_db(transaction=True)
def test_a_replay_after_the_mapping_is_fixed_makes_one_lead_and_a_second_changes_nothing(acme, client):
    hook, generated = connector(acme, "webhook", mapping={"phone": "contact.phone"})
    body = {"name": "Ritu Sharma", "mobile": "98111 22334"}
    assert post_json(client, hook, body, **{"X-LeadTracker-Secret": generated["secret"]}).status_code == 200
    (failed,) = work_off()
    assert failed.status == PayloadStatus.FAILED and not Lead.objects.exists()
    DBTaskResult.objects.all().delete()  # the hook's job, done in-process above
    update_connector(
        hook, actor=Actor.for_user(acme.adam.user), options={"mapping": {"name": "name", "phone": "mobile"}}
    )

    admin = login_client(acme.adam)
    replay = f"/settings/integrations/{hook.pk}/payloads/{failed.pk}/replay/"
    assert admin.post(replay).status_code == 302
    assert Payload.objects.get().status == PayloadStatus.RECEIVED and not Lead.objects.exists()
    (job,) = DBTaskResult.objects.filter(task_path=process_payload_job.module_path)
    assert job.args_kwargs["args"] == [failed.pk]

    result = run_worker()
    assert result.returncode == 0, result.stderr
    payload = Payload.objects.get()
    assert payload.status == PayloadStatus.DONE, payload.error
    lead = Lead.objects.get()
    assert (payload.lead_id, lead.phone, lead.name) == (lead.pk, "+919811122334", "Ritu Sharma")
    assert DBTaskResult.objects.get(pk=job.pk).status == "SUCCESSFUL"

    again = admin.post(replay, follow=True)
    assert "only a failed payload can be replayed" in again.content.decode()
    assert (
        DBTaskResult.objects.filter(task_path=process_payload_job.module_path).count() == 1
    )  # nothing queued
    assert Payload.objects.get().status == PayloadStatus.DONE and Lead.objects.count() == 1
