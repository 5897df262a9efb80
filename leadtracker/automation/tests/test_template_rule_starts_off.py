"""A rule added from a template starts switched off — on the page and in the API — and its page
shows the dry run with a count ("Would act on 55 leads now"), the first 50 leads by name as
links, "and 5 more", and a Switch on button; nothing fires until it is switched on."""

import datetime as dt
import re

import time_machine

from leadtracker.automation.models import Rule, RuleRun
from leadtracker.automation.scan import scan
from leadtracker.testing import make_lead

IST = dt.timezone(dt.timedelta(hours=5, minutes=30))
T0 = dt.datetime(2026, 12, 7, 10, 0, tzinfo=IST)


def test_the_page_adds_it_off_and_shows_what_it_would_do(acme, as_member):
    with time_machine.travel(T0, tick=False) as clock:
        for n in range(55):
            make_lead(acme, owner=acme.alice, name=f"Customer {n:02}", phone=f"98765 432{n:02}")
        clock.shift(dt.timedelta(minutes=10))
        client = as_member(acme.olga)
        added = client.post("/settings/automation/", {"template": "sla"}, follow=True)
        rule = Rule.objects.get()
        assert rule.is_active is False
        page = added.content.decode()
        assert "switched off" in page
        assert "Would act on 55 leads now" in page
        dry = page.split('id="dry-run-list"')[1].split("</ul>")[0]
        assert len(re.findall(r'<a href="/leads/\d+/">Customer \d\d</a>', dry)) == 50
        assert "and 5 more" in page
        assert re.search(r'<button type="submit" class="primary">\s*Switch on\s*</button>', page)
        assert scan() == 0 and not RuleRun.objects.exists()
        switched = client.post(f"/settings/automation/{rule.pk}/switch/", {"back": "rule"})
        assert switched["Location"] == f"/settings/automation/{rule.pk}/"
        rule.refresh_from_db()
        assert rule.is_active is True
        assert scan() == 55


def test_the_api_adds_it_off_unless_asked(acme, api_as):
    api = api_as(acme.adam)
    off = api.post("/api/v1/rules/from-template", {"template": "sla"}, content_type="application/json")
    assert off.status_code == 201 and off.json()["is_active"] is False
    body = {"template": "hot_overdue", "is_active": True}
    on = api.post("/api/v1/rules/from-template", body, content_type="application/json")
    assert on.status_code == 201 and on.json()["is_active"] is True
