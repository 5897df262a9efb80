"""A Graph API error (an expired page token) fails the payload with the reason in plain words,
shows on the connector's health, and a replay after the token is fixed makes the lead."""

from django_tasks_db.models import DBTaskResult

from leadtracker.accounts.audit import Actor
from leadtracker.integrations.actions import (
    process_payload,
    process_payload_job,
    replay_payload,
    update_connector,
)
from leadtracker.integrations.meta.tests.deliveries import delivery, send
from leadtracker.integrations.models import Payload
from leadtracker.integrations.tests.util import work_off
from leadtracker.leads.models import Lead


def test_an_expired_token_fails_the_payload_then_a_replay_makes_the_lead(client, facebook, graph, acme):
    graph.add_lead("lg-3", full_name="Anil Verma", phone_number="98333 44556")
    graph.token = "page-token-2"  # the one we hold has expired
    send(client, facebook, delivery("lg-3"))
    [payload] = work_off()
    assert payload.status == "failed"
    assert payload.error.startswith("the page token is expired or was revoked: paste a new one")
    facebook.refresh_from_db()
    assert facebook.last_error == payload.error and facebook.last_error_at is not None
    assert not Lead.objects.filter(organisation=acme.org).exists()

    admin = Actor.for_user(acme.adam.user)
    update_connector(facebook, actor=admin, options={"page_token": "page-token-2"})
    jobs = DBTaskResult.objects.filter(task_path=process_payload_job.module_path)
    before = jobs.count()  # the hook's, done in-process by work_off
    replay_payload(payload, actor=admin)
    # The worker's job, queued with the payload's new status; the replay starts its tries afresh.
    assert jobs.count() == before + 1 and jobs.order_by("-pk").first().args_kwargs["args"] == [payload.pk]
    [payload] = work_off()
    assert payload.status == "done" and payload.error == "" and payload.attempts == 1
    assert Lead.objects.get(pk=payload.lead_id).name == "Anil Verma"


def test_a_lead_without_a_phone_fails_with_the_reason(client, facebook, graph):
    graph.add_lead("lg-4", full_name="No Number", email="nonumber@example.in")
    send(client, facebook, delivery("lg-4"))
    [payload] = work_off()
    assert (payload.status, payload.error) == ("failed", "no phone number in the lead")
    assert Payload.objects.get().status == "failed"


def test_graph_out_of_reach_is_tried_again_later_then_failed(
    client, facebook, graph, settings, django_capture_on_commit_callbacks
):
    settings.META_GRAPH_URL = "http://127.0.0.1:9/v21.0"  # nothing listens on the discard port
    graph.add_lead("lg-5", full_name="Somebody", phone_number="98444 55667")
    send(client, facebook, delivery("lg-5"))
    payload = Payload.objects.get()
    for minutes in (1, 5, 30):
        with django_capture_on_commit_callbacks(execute=False) as queued:
            process_payload(payload)
        assert payload.status == "received" and len(queued) == 1  # queued again, for later
        assert payload.error.endswith(f"(trying again in {minutes} min)")
        assert payload.error.startswith("could not reach Facebook")
    process_payload(payload)
    assert payload.status == "failed" and payload.attempts == 4
    facebook.refresh_from_db()
    assert facebook.last_error.startswith("could not reach Facebook")
