"""The calling loop on a 360-pixel phone (issue 17, acceptance): an agent opens the queue, the
Call button dials the lead's number (a tel: link), "Interested" with "Tomorrow, 11 am" is saved
in two taps and the next lead shows; the lead moved to Interested with exactly one open
follow-up; a skipped lead comes back after the others. The queue and the sheet pass the gates."""

import datetime as dt

from django.utils import timezone
from playwright.sync_api import expect

from e2e.gates import Gate
from leadtracker.accounts.audit import Actor
from leadtracker.calls.models import Outcome
from leadtracker.leads.actions.follow_ups import schedule_follow_up
from leadtracker.leads.models import FollowUp, Lead
from leadtracker.testing import make_lead


def ours(problems):
    """The gates' findings about the page's own content: the header and its menu are gated
    with every page by e2e/test_gates.py."""
    header = (": .brand", ": header", ": nav", ": .menu", ": .tab", ": .topbar", ": .bell")
    return [line for line in problems if not any(mark in line for mark in header)]


def outcome_chip(phone, people, name):
    pk = Outcome.objects.get(organisation=people.org, name=name).pk
    return phone.locator(f"label[for=outcome-{pk}]")


def current(phone):
    return phone.locator("#lead-name")


def test_an_agent_works_the_queue_on_a_phone(live_server, people, phone, login):
    sunita = make_lead(people, owner=people.alice, name="Sunita Rao", phone="98450 12345")
    ravi = make_lead(people, owner=people.alice, name="Ravi Verma", phone="98450 22222")
    make_lead(people, owner=people.alice, name="Meena Iyer", phone="98450 33333")
    # An earlier plan for Sunita, which the new follow-up replaces.
    schedule_follow_up(
        sunita,
        due_at=timezone.now() + dt.timedelta(days=3),
        actor=Actor.for_user(people.alice.user),
        by=people.alice,
    )
    gate = Gate(phone.context, live_server.url)
    gate.watch(phone)
    login(phone, live_server.url, "alice@acme.test", home=False)

    assert ours(gate.check(phone, "/queue/")) == []
    expect(current(phone)).to_have_text("Sunita Rao")
    expect(phone.locator(".queue-progress")).to_contain_text("0 / 3")
    expect(phone.locator("a.call-button")).to_have_attribute("href", "tel:+919845012345")
    expect(phone.locator("a.whatsapp-button")).to_have_attribute("href", "https://wa.me/919845012345")

    # Two taps: the outcome, then the follow-up chip, which saves.
    outcome_chip(phone, people, "Interested").click()
    phone.get_by_role("button", name="Tomorrow, 11 am").click()
    expect(phone.locator(".flash")).to_contain_text("Saved: Interested")
    expect(current(phone)).to_have_text("Ravi Verma")
    expect(phone.locator(".queue-progress")).to_contain_text("1 / 3")
    sunita.refresh_from_db()
    assert sunita.status.name == "Interested"
    open_ones = FollowUp.objects.open().filter(lead=sunita)
    assert open_ones.count() == 1
    tomorrow = (timezone.localdate(timezone.now(), people.org.tzinfo) + dt.timedelta(days=1)).isoformat()
    assert open_ones.get().due_at.astimezone(people.org.tzinfo).isoformat().startswith(f"{tomorrow}T11:00")

    # Ravi is busy: skipped, he comes back after Meena.
    phone.get_by_role("button", name="I'm busy right now").click()
    expect(current(phone)).to_have_text("Meena Iyer")
    outcome_chip(phone, people, "Not interested").click()
    phone.get_by_role("button", name="Save without a follow-up").click()
    expect(current(phone)).to_have_text("Ravi Verma")
    expect(phone.locator(".queue-reason")).to_contain_text("skipped earlier")
    assert Lead.objects.get(name="Meena Iyer").status.name == "Lost"

    # An outcome that requires a follow-up is refused without one, and says which field.
    outcome_chip(phone, people, "No answer").click()
    phone.get_by_role("button", name="Save without a follow-up").click()
    expect(phone.locator("[data-form-errors]")).to_contain_text("Next follow-up")
    assert not ravi.calls.exists()
    # The sheet on its own page (from a lead, from Recent calls) passes the gates too.
    assert ours(gate.check(phone, f"/calls/sheet/lead/{ravi.pk}/")) == []
