"""A follow-up's reminder names its day as the rest of the app does: "Call with Lakshmi Mehta,
due today, 1:39 am", not "at 8 Dec, 1:39 am" on 8 Dec (review tc #15); a later day keeps its date."""

import datetime as dt

from django.utils import timezone

from leadtracker.accounts.audit import Actor
from leadtracker.accounts.models import Notification, User
from leadtracker.leads.actions.follow_ups import schedule_follow_up
from leadtracker.leads.reminders import send_due_reminders
from leadtracker.testing import clocks, start_test_clock


def _reminded(acme, new_lead, due, name="Lakshmi Mehta"):
    lead = new_lead(acme, name=name, by=acme.alice, on_duplicate="allow")
    schedule_follow_up(lead, due_at=due, actor=Actor.system(), by=acme.alice)
    send_due_reminders(now=due)  # the worker, when the reminder is due
    return Notification.objects.filter(user_id=acme.alice.user_id).latest("pk").text


@clocks("monday-00:05")
def test_a_reminder_says_today_and_tomorrow_in_words(frozen_at, acme, new_lead):
    start_test_clock()  # Monday 7 Dec 00:05 IST (UTC: still Sunday)
    soon = timezone.now() + dt.timedelta(hours=1, minutes=34)
    assert _reminded(acme, new_lead, soon) == "Call with Lakshmi Mehta, due today, 1:39 am"


@clocks("23:55")
def test_just_before_midnight_a_reminder_for_after_it_says_tomorrow(frozen_at, acme, new_lead):
    start_test_clock()  # Wednesday 9 Dec 23:55 IST
    due = timezone.now() + dt.timedelta(minutes=10)
    assert _reminded(acme, new_lead, due, "Raj") == "Call with Raj, due tomorrow, 12:05 am"
    User.objects.filter(pk=acme.alice.user_id).update(language="hi")
    assert _reminded(acme, new_lead, due, "Asha") == "Asha के साथ कॉल, आने वाला कल, 12:05 am"
