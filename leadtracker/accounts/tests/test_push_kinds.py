"""Which events notify, and as which push kind: a lead assigned to someone else, a missed call
to return (recent ones only) and again past 30 minutes, the managers' daily digest; each queues
a push, ids only, for the person's browsers when they have one."""

import datetime as dt

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from leadtracker.accounts.audit import Actor
from leadtracker.accounts.models import Notification
from leadtracker.accounts.push import actions
from leadtracker.accounts.push.tasks import send_push
from leadtracker.accounts.tests.push_service import Browser
from leadtracker.calls.callbacks import remind_waiting
from leadtracker.leads.actions.assignment import assign_lead
from leadtracker.reports import digest
from leadtracker.testing import call, open_shift, paired_client, send, start_test_clock


@pytest.fixture
def subscribed(settings):
    settings.PUSH_ALLOW_LOOPBACK = True

    def subscribe(member):
        actions.subscribe(
            member,
            endpoint=f"http://127.0.0.1:9/push/{member.pk}",
            keys=Browser().keys(),
            actor=Actor.for_user(member.user),
        )

    return subscribe


def _queued():
    return [r.args_kwargs["args"] for r in DBTaskResult.objects.filter(task_path=send_push.module_path)]


def test_a_lead_assigned_to_someone_else_notifies_them(
    acme, new_lead, subscribed, django_capture_on_commit_callbacks
):
    subscribed(acme.alice)
    lead = new_lead(acme, by=acme.maya, name="Asha Sharma")
    with django_capture_on_commit_callbacks(execute=True):
        assign_lead(lead, acme.alice.user_id, actor=Actor.for_user(acme.maya.user), by=acme.maya)
    note = Notification.objects.get(user=acme.alice.user)
    assert (note.text, note.url) == ("New lead for you: Asha Sharma", f"/leads/{lead.pk}/")
    assert _queued() == [[note.pk, "assigned", lead.pk]]

    # Taking a lead oneself is no news to oneself.
    with django_capture_on_commit_callbacks(execute=True):
        assign_lead(lead, acme.maya.user_id, actor=Actor.for_user(acme.maya.user), by=acme.maya)
    assert not Notification.objects.filter(user=acme.maya.user).exists()


def test_a_recent_missed_call_notifies_who_is_to_return_it(
    acme, subscribed, django_capture_on_commit_callbacks
):
    start_test_clock()
    subscribed(acme.alice)
    open_shift(acme.alice)  # calls off shift are the person's own
    phone = paired_client(acme.alice)
    with django_capture_on_commit_callbacks(execute=True):
        answer = send(
            phone,
            [
                call(1, number="+919811111111", type="missed", minutes_ago=10, duration_s=0),
                call(2, number="+919822222222", type="missed", minutes_ago=600, duration_s=0),
            ],
        )
    assert answer.status_code == 200, answer.content
    note = Notification.objects.get(user=acme.alice.user)
    assert note.text == "Missed call from +919811111111: call back" and note.url == "/queue/"
    assert _queued() == [[note.pk, "missed_call", None]]


def test_the_daily_digest_notifies_each_manager(acme, subscribed, django_capture_on_commit_callbacks):
    acme.org.__class__.objects.filter(pk=acme.org.pk).update(digest_hour=8)
    subscribed(acme.maya)
    tomorrow = timezone.now().astimezone(acme.org.tzinfo).date() + dt.timedelta(days=1)
    with django_capture_on_commit_callbacks(execute=True):
        digest.send_due(now=dt.datetime.combine(tomorrow, dt.time(8), acme.org.tzinfo))
    note = Notification.objects.get(user=acme.maya.user)
    assert note.url == "/dashboard/" and "daily digest" in note.text
    assert _queued() == [[note.pk, "digest", None]]
    assert not Notification.objects.filter(user=acme.alice.user).exists()  # agents get none


def test_a_call_back_waiting_over_30_minutes_reminds_once(
    acme, subscribed, django_capture_on_commit_callbacks
):
    start_test_clock()
    subscribed(acme.alice)
    open_shift(acme.alice)
    phone = paired_client(acme.alice)
    rows = [
        call(1, number="+919811111111", type="missed", minutes_ago=40, duration_s=0),
        call(2, number="+919833333333", type="missed", minutes_ago=10, duration_s=0),  # not yet
        call(3, number="+919822222222", type="missed", minutes_ago=300, duration_s=0),  # left to the list
    ]
    assert send(phone, rows).status_code == 200
    DBTaskResult.objects.all().delete()

    with django_capture_on_commit_callbacks(execute=True):
        assert remind_waiting() == 1
    note = Notification.objects.get(url__startswith="/queue/#call-back-")
    assert note.text == "Missed call from +919811111111 waiting over 30 minutes: call back"
    assert _queued() == [[note.pk, "call_back", None]]
    assert remind_waiting() == 0  # once
