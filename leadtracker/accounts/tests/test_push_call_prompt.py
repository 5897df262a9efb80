"""The prompt after a call as a push (issue 18, item 3): when a phone syncs a call that has just
ended, its person's browsers get "Call with Asha Sharma ended · 2m 10s — how did it go?",
opening that call's outcome sheet; delivered to a push service on loopback and decrypted."""

from django_tasks_db.models import DBTaskResult

from leadtracker.accounts.audit import Actor
from leadtracker.accounts.push import actions
from leadtracker.accounts.tests.push_service import Browser, check_vapid
from leadtracker.calls.models import Call
from leadtracker.calls.tasks import send_call_prompt
from leadtracker.testing import call, open_shift, paired_client, send, start_test_clock


def test_a_call_just_ended_prompts_for_its_outcome(
    acme, new_lead, service, django_capture_on_commit_callbacks
):
    start_test_clock()
    open_shift(acme.alice)
    browser = Browser()
    actions.subscribe(
        acme.alice, endpoint=service.endpoint(), keys=browser.keys(), actor=Actor.for_user(acme.alice.user)
    )
    new_lead(acme, owner=acme.alice, name="Asha Sharma", phone="+919811111111")
    phone = paired_client(acme.alice)
    rows = [
        call(1, number="+919811111111", minutes_ago=60, duration_s=40),
        call(2, number="+919811111111", minutes_ago=3, duration_s=130),
    ]
    with django_capture_on_commit_callbacks(execute=True):
        assert send(phone, rows).status_code == 200
    newest = Call.objects.get(duration_s=130)
    [job] = DBTaskResult.objects.filter(task_path=send_call_prompt.module_path)
    assert job.args_kwargs["args"] == [newest.pk]

    assert send_call_prompt.call(newest.pk)["sent"] == 1
    [request] = service.received
    check_vapid(request["headers"]["authorization"], service.origin)
    assert browser.decrypt(request["body"]) == {
        "title": "How did it go?",
        "body": "Call with Asha Sharma ended · 2m 10s — how did it go?",
        "url": f"/calls/{newest.pk}/sheet/",
        "kind": "call_ended",
        "tag": f"call{newest.pk}",
    }


def test_no_prompt_for_old_calls_or_without_a_browser(acme, service, django_capture_on_commit_callbacks):
    start_test_clock()
    open_shift(acme.alice)
    phone = paired_client(acme.alice)
    with django_capture_on_commit_callbacks(execute=True):
        send(phone, [call(1, minutes_ago=1, duration_s=20)])  # nobody subscribed
    actions.subscribe(
        acme.alice, endpoint=service.endpoint(), keys=Browser().keys(), actor=Actor.for_user(acme.alice.user)
    )
    with django_capture_on_commit_callbacks(execute=True):
        send(phone, [call(2, minutes_ago=45, duration_s=20)])  # ended long ago
    assert not DBTaskResult.objects.filter(task_path=send_call_prompt.module_path).exists()
