"""Web Push end to end through a push service on loopback: the worker's send is signed (VAPID),
encrypted for the browser's keys (RFC 8291), removed when gone, retried when failed, and held
back off shift, for kinds turned off and for leads erased or in the trash."""

import datetime as dt

from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from leadtracker.accounts.audit import Actor
from leadtracker.accounts.models import AuditEvent, PushSubscription
from leadtracker.accounts.notifications import notify
from leadtracker.accounts.push import actions, keys
from leadtracker.accounts.push.tasks import send_push
from leadtracker.accounts.tests.push_service import Browser, check_vapid
from leadtracker.leads.models import Lead
from leadtracker.leads.trash.actions import trash_leads
from leadtracker.privacy.erasure.actions import erase_lead
from leadtracker.testing import open_shift


def _subscribe(member, service, name="sub1"):
    browser = Browser()
    actions.subscribe(
        member, endpoint=service.endpoint(name), keys=browser.keys(), actor=Actor.for_user(member.user)
    )
    return browser


def _note(member, **extra):
    defaults = {"text": "Call with Asha Sharma at 4:10 pm", "url": "/leads/1/", "kind": "follow_up"}
    return notify(organisation_id=member.organisation_id, user_id=member.user_id, **(defaults | extra))


def test_a_push_is_signed_encrypted_and_opens_its_page(acme, service):
    open_shift(acme.alice)
    browser = _subscribe(acme.alice, service)
    note = _note(acme.alice, url="/calls/7/outcome/")

    done = send_push.call(note.pk, "follow_up", None)

    assert done["sent"] == 1
    [request] = service.received
    assert request["path"] == "/push/sub1"
    claims, key = check_vapid(request["headers"]["authorization"], service.origin)
    assert key == keys.public_key()
    assert request["headers"]["content-encoding"] == "aes128gcm"
    assert int(request["headers"]["ttl"]) > 0
    assert browser.decrypt(request["body"]) == {
        "title": "LeadTracker",
        "body": "Call with Asha Sharma at 4:10 pm",
        "url": "/calls/7/outcome/",
        "kind": "follow_up",
        "tag": f"n{note.pk}",
    }
    assert PushSubscription.objects.get(user=acme.alice.user).last_sent_at is not None


def test_notify_queues_the_push_for_the_worker_with_ids_only(
    acme, service, django_capture_on_commit_callbacks
):
    _subscribe(acme.alice, service)
    with django_capture_on_commit_callbacks(execute=True):
        note = _note(acme.alice, lead_id=5)
    job = DBTaskResult.objects.get(task_path=send_push.module_path)
    assert job.args_kwargs["args"] == [note.pk, "follow_up", 5]
    assert service.received == []  # nothing sent inside the request
    # Nobody subscribed: nothing queued.
    with django_capture_on_commit_callbacks(execute=True):
        _note(acme.bob)
    assert DBTaskResult.objects.filter(task_path=send_push.module_path).count() == 1


def test_a_subscription_the_push_service_says_is_gone_is_removed(acme, service):
    open_shift(acme.alice)
    _subscribe(acme.alice, service)
    service.answers = [410]
    done = send_push.call(_note(acme.alice).pk, "follow_up", None)
    assert done["gone"] == 1
    assert not PushSubscription.objects.filter(user=acme.alice.user).exists()
    assert AuditEvent.objects.filter(action="push.subscription_gone").exists()


def test_a_failed_send_is_retried_later_for_that_browser_only(acme, service):
    open_shift(acme.alice)
    _subscribe(acme.alice, service, "good")
    failing = _subscribe(acme.alice, service, "busy")
    service.answers = [201, 500]
    note = _note(acme.alice)

    done = send_push.call(note.pk, "follow_up", None)

    assert done["sent"] == 1 and len(done["retry"]) == 1
    retry = DBTaskResult.objects.get(task_path=send_push.module_path)
    assert retry.run_after > timezone.now() + dt.timedelta(seconds=20)
    assert retry.args_kwargs["args"] == [note.pk, "follow_up", None, 2, done["retry"]]

    again = send_push.call(*retry.args_kwargs["args"])
    assert again["sent"] == 1
    assert failing.decrypt(service.received[-1]["body"])["body"] == note.text
    assert service.received[-1]["path"] == "/push/busy"


def test_retries_stop_after_a_few_tries(acme, service):
    open_shift(acme.alice)
    _subscribe(acme.alice, service)
    service.answers = [503]
    done = send_push.call(_note(acme.alice).pk, "follow_up", None, 4, None)
    assert done["retry"] and "retry_at" not in done
    assert not DBTaskResult.objects.filter(task_path=send_push.module_path).exists()


def test_nothing_is_sent_off_shift_unless_chosen(acme, service):
    _subscribe(acme.alice, service)
    note = _note(acme.alice)
    assert send_push.call(note.pk, "follow_up", None) == {"skipped": "the person is off shift"}
    assert service.received == []

    actions.save_preference(
        acme.alice, kinds_on=["follow_up"], off_shift=True, actor=Actor.for_user(acme.alice.user)
    )
    assert send_push.call(note.pk, "follow_up", None)["sent"] == 1


def test_kinds_turned_off_are_not_sent(acme, service):
    open_shift(acme.alice)
    _subscribe(acme.alice, service)
    actions.save_preference(
        acme.alice, kinds_on=["follow_up"], off_shift=False, actor=Actor.for_user(acme.alice.user)
    )
    assert send_push.call(_note(acme.alice).pk, "assigned", None) == {
        "skipped": "the person turned this kind off"
    }
    assert send_push.call(_note(acme.alice).pk, "follow_up", None)["sent"] == 1
    assert len(service.received) == 1


def test_nothing_is_sent_for_an_erased_or_trashed_lead(acme, service, new_lead):
    open_shift(acme.alice)
    _subscribe(acme.alice, service)
    erased = new_lead(acme, by=acme.alice, name="Asha Sharma", phone="+919812345678")
    trashed = new_lead(acme, by=acme.alice, name="Ravi Kumar", phone="+919812345679")
    first = _note(acme.alice, lead_id=erased.pk, url=f"/leads/{erased.pk}/")
    # Linked elsewhere (the queue): the notification outlives the lead, the check at send time does not.
    second = _note(acme.alice, lead_id=trashed.pk, url="/queue/", text="Call Ravi Kumar back")

    erase_lead(erased, actor=Actor.system())
    trash_leads(Lead.objects.filter(pk=trashed.pk), actor=Actor.system(), by=acme.olga)

    assert "skipped" in send_push.call(first.pk, "follow_up", erased.pk)
    assert send_push.call(second.pk, "follow_up", trashed.pk) == {"skipped": "the lead was erased or removed"}
    assert service.received == []
