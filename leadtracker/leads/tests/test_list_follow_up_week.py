"""The list's "Next 7 days" follow-up filter (a saved view's "Site visits this week"): follow-ups
from now to the end of the sixth day after today, in the organisation's zone; not overdue ones,
not later ones."""

import datetime as dt
import re

from django.utils import timezone

from leadtracker.accounts.audit import Actor
from leadtracker.leads.actions.follow_ups import schedule_follow_up


def test_next_seven_days(acme, new_lead, as_member):
    now = timezone.now()
    for i, (name, hours) in enumerate(
        (("Soon", 3), ("Five days", 24 * 5), ("Overdue", -3), ("Next month", 24 * 30))
    ):
        lead = new_lead(acme, name=name, phone=f"98765 0000{i}", by=acme.alice)
        schedule_follow_up(lead, due_at=now + dt.timedelta(hours=hours), actor=Actor.system(), by=acme.alice)
    page = as_member(acme.alice).get("/leads/?follow_up=week").content.decode()
    assert ">Soon</a>" in page and ">Five days</a>" in page
    assert ">Overdue</a>" not in page and ">Next month</a>" not in page
    # The filter shows what it holds (the tag may wrap between its attributes).
    assert re.search(r'<option value="week"\s+selected>', page)
