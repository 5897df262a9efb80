"""A follow-up's reminder in Hindi (issue 20 §3): the bell's notification and the e-mail are
written, when the worker sends them, in the language of the person who has the follow-up — not
the worker's, nor whoever planned it."""

import datetime as dt

from django.core import mail
from django.utils import timezone

from leadtracker.accounts.audit import Actor
from leadtracker.accounts.models import Notification, User
from leadtracker.leads.actions.follow_ups import schedule_follow_up
from leadtracker.leads.reminders import send_due_reminders


def test_the_reminder_is_in_the_assignees_language(acme, new_lead, django_capture_on_commit_callbacks):
    User.objects.filter(pk=acme.alice.user_id).update(language="hi")
    lead = new_lead(acme, name="Raj", by=acme.alice)
    due = timezone.now() + dt.timedelta(minutes=6)  # its reminder is due now
    schedule_follow_up(lead, due_at=due, actor=Actor.system(), by=acme.maya, note="Budget 45 L")
    with django_capture_on_commit_callbacks(execute=True):
        assert send_due_reminders() == 1
    text = Notification.objects.get(user_id=acme.alice.user_id).text
    assert text.startswith("Raj के साथ कॉल, ")
    assert [m.subject for m in mail.outbox] == [f"याद दिलाना: {text}"]
    assert "लीड खोलें: " in mail.outbox[0].body and "Open the lead" not in mail.outbox[0].body
