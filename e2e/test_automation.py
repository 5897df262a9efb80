"""An admin on a 360-pixel phone adds the 5-minute SLA from its template — it comes switched
off, its dry run lists the lead it would act on (a >= 44 px link) and counts it — and switches
it on; a lead nobody called 5 minutes after it was assigned goes to the agent on shift at the
next minute's scan, and the lead's page says which rule did it."""

import datetime as dt

import time_machine
from playwright.sync_api import expect


def test_the_sla_rule_reassigns_an_uncalled_lead(phone, live_server, people, login):
    from django.utils import timezone

    from leadtracker.automation.tasks import scan_time_rules
    from leadtracker.testing import make_lead, open_shift

    login(phone, live_server.url, "olga@acme.test")
    phone.goto(f"{live_server.url}/settings/automation/")
    empty = phone.locator("#rule-list li.muted")
    expect(empty).to_have_text("No rules yet: start from a template below.")
    padding = empty.evaluate("e => parseFloat(getComputedStyle(e).paddingLeft)")
    assert padding >= 8, f"'No rules yet' has {padding} px padding"
    phone.select_option("#id_template", "sla")
    phone.get_by_role("button", name="Add").click()
    expect(phone.locator("h1")).to_have_text("5-minute SLA")
    expect(phone.locator("#dry-run-count")).to_have_text("Would act on 0 leads now")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360

    open_shift(people.carl)
    lead = make_lead(people, owner=people.alice, name="Asha Rao")
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=5, seconds=30), tick=True):
        assert scan_time_rules.func() == 0  # switched off: it does nothing yet
        phone.reload()
        expect(phone.locator("#dry-run-count")).to_have_text("Would act on 1 lead now")
        link = phone.locator("#dry-run-list a")
        expect(link).to_have_text("Asha Rao")
        assert link.bounding_box()["height"] >= 44
        assert phone.evaluate("document.documentElement.scrollWidth") <= 360
        phone.get_by_role("button", name="Switch on").click()
        expect(phone.get_by_role("button", name="Switch off")).to_be_visible()
        assert scan_time_rules.func() == 1
        phone.goto(f"{live_server.url}/leads/{lead.pk}/")
        expect(phone.locator("#lead-timeline")).to_contain_text("Rule 5-minute SLA reassigned to Carl Acme")
        phone.goto(f"{live_server.url}/settings/automation/")
        phone.get_by_role("link", name="5-minute SLA").click()
        expect(phone.locator("#rule-log")).to_contain_text("reassigned to Carl Acme")
