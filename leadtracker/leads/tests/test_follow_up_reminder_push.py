"""A follow-up's reminder reaches the phone as a Web Push at its reminder time: the worker's
job, once run, posts to the push service (one on loopback, started here) a payload the
browser's keys decrypt, of kind follow_up, opening the lead. Before the reminder time, none."""

import datetime as dt

from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from leadtracker.accounts.audit import Actor
from leadtracker.accounts.push import actions
from leadtracker.accounts.push.tasks import send_push
from leadtracker.accounts.tests.push_service import Browser, check_vapid
from leadtracker.leads.actions.follow_ups import schedule_follow_up
from leadtracker.leads.reminders import send_due_reminders
from leadtracker.testing import clocks, open_shift


@clocks()
def test_a_follow_up_due_is_pushed_at_its_reminder_time(
    frozen_at, acme, new_lead, service, django_capture_on_commit_callbacks
):
    open_shift(acme.alice)
    browser = Browser()
    actions.subscribe(
        acme.alice, endpoint=service.endpoint(), keys=browser.keys(), actor=Actor.for_user(acme.alice.user)
    )
    lead = new_lead(acme, name="Raj Sharma", phone="98765 43210", by=acme.alice)
    # Reminded 15 minutes before: due in 20 minutes is not yet, due in 10 is.
    later = schedule_follow_up(
        lead, due_at=timezone.now() + dt.timedelta(minutes=20), actor=Actor.system(), by=acme.alice
    )
    with django_capture_on_commit_callbacks(execute=True):
        schedule_follow_up(
            lead, due_at=timezone.now() + dt.timedelta(minutes=10), actor=Actor.system(), by=acme.alice
        )
        assert send_due_reminders() == 1
    [job] = DBTaskResult.objects.filter(task_path=send_push.module_path)
    assert job.args_kwargs["args"][1:] == ["follow_up", lead.pk]

    assert send_push.call(*job.args_kwargs["args"])["sent"] == 1
    [request] = service.received
    check_vapid(request["headers"]["authorization"], service.origin)
    pushed = browser.decrypt(request["body"])
    assert pushed["kind"] == "follow_up" and pushed["url"] == f"/leads/{lead.pk}/"
    assert pushed["body"].startswith("Call with Raj Sharma, due ")

    later.refresh_from_db()
    assert later.reminder_sent_at is None
