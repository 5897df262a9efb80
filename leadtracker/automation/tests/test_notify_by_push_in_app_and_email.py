"""A rule's "notify" tells the lead's owner or their manager three ways: in the app (the bell),
by push to the browsers they turned it on for (queued with ids only, so the job's row holds no
name), and by e-mail unless the rule says not to — each in the recipient's own language; with
``email: false`` no mail goes."""

from django.core import mail
from django_tasks_db.models import DBTaskResult

from leadtracker.accounts.models import Notification, PushSubscription
from leadtracker.accounts.push.tasks import send_push
from leadtracker.automation.models import RuleRun
from leadtracker.testing import make_lead


def _subscribe(member):
    PushSubscription.objects.create(
        organisation_id=member.organisation_id,
        user_id=member.user_id,
        endpoint="https://push.example.test/sub/1",
        p256dh="p",
        auth="a",
    )


def test_the_owner_and_the_manager_are_told_in_the_app_by_push_and_by_email(acme, worker, rule):
    maya = acme.maya.user  # Alice's manager, who reads Hindi
    maya.language = "hi"
    maya.save(update_fields=["language"])
    _subscribe(acme.alice)
    notify = [
        {"type": "notify", "to": "owner", "email": True},
        {"type": "notify", "to": "manager", "email": False},
    ]
    fired = rule(acme, "lead_created", notify, name="New lead")
    mail.outbox.clear()
    lead = worker(lambda: make_lead(acme, owner=acme.alice, name="Asha Verma"))

    run = RuleRun.objects.get(rule=fired, lead=lead)
    assert run.did == [
        {"type": "notify", "to": acme.alice.user_id},
        {"type": "notify", "to": maya.pk},
    ]
    url = f"/leads/{lead.pk}/"
    to_alice = Notification.objects.get(user_id=acme.alice.user_id, url=url)
    to_maya = Notification.objects.get(user_id=maya.pk, url=url)
    assert to_alice.text == "Rule “New lead”: Asha Verma"
    assert "Asha Verma" in to_maya.text and to_maya.text != to_alice.text  # Maya's in Hindi
    # A push for Alice, who turned it on, with ids only; none for Maya, who did not.
    [push] = DBTaskResult.objects.filter(task_path=send_push.module_path)
    assert push.args_kwargs["args"][0] == to_alice.pk and push.args_kwargs["args"][2] == lead.pk
    assert "Asha" not in str(push.args_kwargs)
    # E-mail: the owner's action asks for it, the manager's says not to.
    [sent] = mail.outbox
    assert sent.to == [acme.alice.user.email] and sent.subject == to_alice.text
    assert url in sent.body


def test_a_manager_emailed_reads_it_in_their_language(acme, worker, rule):
    maya = acme.maya.user
    maya.language = "hi"
    maya.save(update_fields=["language"])
    rule(acme, "lead_created", [{"type": "notify", "to": "manager", "email": True}], name="New lead")
    mail.outbox.clear()
    lead = worker(lambda: make_lead(acme, owner=acme.alice, name="Asha Verma"))
    [sent] = mail.outbox
    note = Notification.objects.get(user_id=maya.pk, url=f"/leads/{lead.pk}/")
    assert sent.to == [maya.email] and sent.subject == note.text
    assert "Asha Verma" in sent.subject and "Rule" not in sent.subject
    assert "Open the lead" not in sent.body  # the link's words in Hindi too
