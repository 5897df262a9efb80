"""A telephony call has what a synced call has (issue 19 item 6): the "how did it go?" push the
moment Exotel reports it, opening that call's outcome sheet; and when the agent saved the sheet
from the queue while still talking (the sheet then logs the call itself), Exotel's report is
that same call: it takes the sheet's outcome and the logged one goes, so the call counts once."""

from django_tasks_db.models import DBTaskResult

from leadtracker.accounts.audit import Actor
from leadtracker.accounts.push import actions as push
from leadtracker.accounts.tests.push_service import Browser, PushService
from leadtracker.calls.models import Call, CallVia, Outcome
from leadtracker.calls.tasks import send_call_prompt
from leadtracker.integrations.exotel.tests.test_status_callback import ago, callback
from leadtracker.integrations.tests.util import post_json, work_off
from leadtracker.testing import open_shift


def test_exotels_report_prompts_for_the_calls_outcome(
    acme, line, client, new_lead, settings, django_capture_on_commit_callbacks
):
    settings.PUSH_ALLOW_LOOPBACK = True
    open_shift(acme.alice)  # pushes, this one too, reach people on shift (or who asked for them off it)
    lead = new_lead(acme, owner=acme.alice, name="Asha Sharma", phone="98765 43210")
    with PushService() as service:
        browser = Browser()
        me = Actor.for_user(acme.alice.user)
        push.subscribe(acme.alice, endpoint=service.endpoint(), keys=browser.keys(), actor=me)
        post_json(client, line, callback(f"{acme.alice.user_id}:{lead.pk}", minutes_ago=3, seconds=130))
        with django_capture_on_commit_callbacks(execute=True):
            work_off()
        call = Call.objects.get()
        [job] = DBTaskResult.objects.filter(task_path=send_call_prompt.module_path)
        assert job.args_kwargs["args"] == [call.pk]
        assert send_call_prompt.call(call.pk)["sent"] == 1
        [request] = service.received
    prompt = browser.decrypt(request["body"])
    assert prompt["body"] == "Call with Asha Sharma ended · 2m 10s — how did it go?"
    assert prompt["url"] == f"/calls/{call.pk}/sheet/"


def test_the_sheet_saved_during_the_call_and_exotels_report_are_one_call(
    acme, line, client, as_member, new_lead
):
    lead = new_lead(acme, owner=acme.alice, phone="98765 43210")
    agent = as_member(acme.alice)
    interested = Outcome.objects.get(organisation=acme.org, name="Interested")
    sheet = {"outcome": interested.pk, "when": "tomorrow", "note": "Wants a visit", "key": "line-twin-1"}
    assert agent.post(f"/calls/sheet/lead/{lead.pk}/", sheet).status_code == 302
    assert Call.objects.get().via == CallVia.MANUAL

    post_json(client, line, callback(f"{acme.alice.user_id}:{lead.pk}", start=ago(4), seconds=150))
    work_off()

    call = Call.objects.get()
    assert call.via == CallVia.CLOUD and call.duration_s == 150
    assert (call.outcome_id, call.note, call.outcome_key) == (interested.pk, "Wants a visit", "line-twin-1")
    # Its own sheet opens for the agent and records on it.
    assert agent.get(f"/calls/{call.pk}/sheet/").status_code == 200
