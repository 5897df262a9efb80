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

    login(phone, live_server.url, "olga@acme.test", home=False)
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


def _run_queued_rules():
    """The worker's part: the rule tasks queued by the commits so far, by their queued rows."""
    from django_tasks_db.models import DBTaskResult

    from leadtracker.automation import tasks

    queued = {t.module_path: t for t in (tasks.run_event_rules, tasks.run_missed_call_rules)}
    rows = list(DBTaskResult.objects.filter(task_path__in=list(queued)).order_by("pk"))
    DBTaskResult.objects.filter(pk__in=[r.pk for r in rows]).delete()
    return sum(queued[r.task_path].func(*r.args_kwargs["args"], **r.args_kwargs["kwargs"]) for r in rows)


def _fits_the_phone(phone):
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    for target in phone.locator("#builder select, #builder button, #builder input:not([type=hidden])").all():
        if target.is_visible() and target.get_attribute("type") not in ("checkbox", "radio"):
            box = target.bounding_box()
            assert box["height"] >= 44, f"{target.get_attribute('name')} is {box['height']} px high"


def test_a_rule_built_on_a_phone_plans_a_site_visit(phone, live_server, people, login):
    """The builder at 360 px: "Interested → site visit follow-up in 2 days at 11 am" from pick
    lists (the action's inputs drawn in by htmx once its type is chosen), saved off, switched on,
    and fired by a status change: the lead gets the visit at 11:00 two days on."""
    from leadtracker.accounts.audit import Actor
    from leadtracker.leads.actions.leads import change_status
    from leadtracker.leads.models import FollowUp, LeadStatus
    from leadtracker.testing import make_lead

    login(phone, live_server.url, "olga@acme.test", home=False)
    phone.goto(f"{live_server.url}/settings/automation/")
    phone.get_by_role("link", name="Build a rule").click()
    _fits_the_phone(phone)
    phone.fill("#id_name", "Interested → site visit")
    phone.select_option("#id_trigger", "status_changed")
    phone.locator("summary", has_text="Status is one of").click()
    phone.get_by_label("Interested", exact=True).check()
    phone.select_option("#id_a0_type", "follow_up")
    expect(phone.locator("#id_a0_in")).to_be_visible()  # drawn in by htmx, the rest kept
    expect(phone.locator("#id_name")).to_have_value("Interested → site visit")
    phone.fill("#id_a0_in", "2")
    phone.select_option("#id_a0_unit", "days")
    phone.fill("#id_a0_at", "11:00")
    phone.select_option("#id_a0_kind", "visit")
    _fits_the_phone(phone)
    phone.get_by_role("button", name="Save").click()
    expect(phone.locator("h1")).to_have_text("Interested → site visit")
    phone.get_by_role("button", name="Switch on").click()
    expect(phone.get_by_role("button", name="Switch off")).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360

    lead = make_lead(people, owner=people.alice, name="Asha Rao")
    _run_queued_rules()
    interested = LeadStatus.objects.get(organisation=people.org, name="Interested")
    change_status(lead, interested, actor=Actor.for_user(people.alice.user), by=people.alice)
    assert _run_queued_rules() == 1
    visit = FollowUp.objects.get(lead=lead)
    local = visit.due_at.astimezone(people.org.tzinfo)
    today = visit.created_at.astimezone(people.org.tzinfo).date()
    assert (visit.kind, local.hour, local.minute, (local.date() - today).days) == ("visit", 11, 0, 2)
    phone.goto(f"{live_server.url}/leads/{lead.pk}/")
    expect(phone.locator("#lead-timeline")).to_contain_text(
        "Rule Interested → site visit planned a follow-up"
    )
