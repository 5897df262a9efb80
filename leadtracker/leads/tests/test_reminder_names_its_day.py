"""A follow-up's reminder names the day it is due by its date — "Call with Lakshmi Mehta, due 7
Dec, 1:39 am" — never "today" or "tomorrow": its text is kept (the bell, the API) and read later,
when "today" would name another day. (1fa07f5 wrote "due today"; read the next morning it was
wrong.)"""

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
def test_a_reminder_names_its_day_by_the_date_in_india(frozen_at, acme, new_lead):
    start_test_clock()  # Monday 7 Dec 00:05 IST (UTC: still Sunday the 6th)
    soon = timezone.now() + dt.timedelta(hours=1, minutes=34)
    assert _reminded(acme, new_lead, soon) == "Call with Lakshmi Mehta, due 7 Dec, 1:39 am"


@clocks("23:55")
def test_just_before_midnight_a_reminder_for_after_it_names_the_next_date(frozen_at, acme, new_lead):
    start_test_clock()  # Wednesday 9 Dec 23:55 IST
    due = timezone.now() + dt.timedelta(minutes=10)
    assert _reminded(acme, new_lead, due, "Raj") == "Call with Raj, due 10 Dec, 12:05 am"
    User.objects.filter(pk=acme.alice.user_id).update(language="hi")
    hindi = _reminded(acme, new_lead, due, "Asha")
    assert hindi.startswith("Asha के साथ कॉल, ") and "10" in hindi and "12:05 am" in hindi, hindi
    assert "कल" not in hindi, hindi  # neither "tomorrow" nor "yesterday"
