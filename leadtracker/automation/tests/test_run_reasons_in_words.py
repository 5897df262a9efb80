"""A run that could not act says why, in words, on the lead's timeline and in the rule log —
not "fired and had nothing to do" — and the log names the lead, not "Lead 300"."""

import datetime as dt
from html import unescape

import time_machine

from leadtracker.automation.models import RuleRun
from leadtracker.automation.scan import scan
from leadtracker.testing import make_lead

IST = dt.timezone(dt.timedelta(hours=5, minutes=30))
T0 = dt.datetime(2026, 12, 7, 10, 0, tzinfo=IST)


def test_nobody_on_shift_is_said_in_words(acme, rule, as_member):
    with time_machine.travel(T0, tick=False) as clock:
        assign = [{"type": "assign", "team_id": acme.maya.pk, "on_shift": True}]
        sla = rule(acme, "not_called", assign, name="5-minute SLA", wait_minutes=5)
        lead = make_lead(acme, owner=acme.alice, name="Asha Rao")
        clock.shift(dt.timedelta(minutes=6))
        assert scan() == 1
        assert RuleRun.objects.get(rule=sla).did == [{"type": "assign", "skipped": "nobody to assign to"}]
        client = as_member(acme.olga)
        said = f"could not reassign: nobody in {acme.maya.user.full_name}'s team is on shift"
        page = " ".join(unescape(client.get(f"/leads/{lead.pk}/").content.decode()).split())
        assert f"Rule <em>5-minute SLA</em> {said}" in page
        assert "nothing to do" not in page
        log = " ".join(unescape(client.get(f"/settings/automation/{sla.pk}/").content.decode()).split())
        assert f">Asha Rao</a> — {said}" in log
        assert f"Lead {lead.pk}" not in log and " : " not in log
