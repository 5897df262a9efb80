"""A push the push service keeps failing (503) is tried again later and later — 30 s, 2 min,
10 min after each failure — then given up; each retry is the worker's job, for the failed
browser only (accounts/push/tasks.py, sender.BACKOFF)."""

import datetime as dt

from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from leadtracker.accounts.audit import Actor
from leadtracker.accounts.models import PushSubscription
from leadtracker.accounts.notifications import notify
from leadtracker.accounts.push import actions
from leadtracker.accounts.push.tasks import send_push
from leadtracker.accounts.tests.push_service import Browser
from leadtracker.testing import open_shift


def test_a_failing_push_service_is_tried_later_and_later_then_given_up(acme, service):
    open_shift(acme.alice)
    actions.subscribe(
        acme.alice, endpoint=service.endpoint(), keys=Browser().keys(), actor=Actor.for_user(acme.alice.user)
    )
    service.answers = [503] * 4
    note = notify(
        organisation_id=acme.org.pk, user_id=acme.alice.user_id, text="Call Asha back", url="/queue/"
    )

    waits = []
    args = [note.pk, "follow_up", None]
    for _ in range(4):
        before = timezone.now()
        done = send_push.call(*args)
        job = DBTaskResult.objects.filter(task_path=send_push.module_path).first()
        if job is None:
            break
        waits.append((job.run_after - before) / dt.timedelta(seconds=1))
        args = job.args_kwargs["args"]
        job.delete()

    # The wait counts from the failure, a moment after `before` (seconds on a loaded machine).
    assert len(waits) == 3 and all(0 <= w - b < 10 for w, b in zip(waits, (30, 120, 600), strict=True)), waits
    assert len(service.received) == 4 and "retry_at" not in done  # the fourth failure ends it
    assert PushSubscription.objects.filter(user=acme.alice.user).exists()  # failing is not gone
