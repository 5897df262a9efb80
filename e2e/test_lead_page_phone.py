"""A lead's page on a 360×800 phone puts its actions first: Call, WhatsApp, SMS and Log
outcome in the first screen, then the next follow-up, the timeline (an icon and a spoken label
per kind), then the details; consent and ownership history folded away."""

import datetime as dt

from playwright.sync_api import expect

from e2e.conftest import NO_WORKER, log_in


def test_actions_first_then_follow_up_timeline_details(browser, live_server, people):
    from django.utils import timezone

    from leadtracker.accounts.audit import Actor
    from leadtracker.leads.actions.follow_ups import schedule_follow_up
    from leadtracker.leads.actions.leads import LeadData, add_note, create_lead

    lead, _ = create_lead(
        people.org,
        LeadData(
            name="Meenakshi Sundaram", phones=["98765 43210"], value="12000000", owner_id=people.alice.user_id
        ),
        actor=Actor.system(),
        by=people.maya,
    )
    add_note(lead, "Wants a 3 BHK near the metro", actor=Actor.system(), by=people.alice)
    schedule_follow_up(
        lead, due_at=timezone.now() + dt.timedelta(days=1), actor=Actor.system(), by=people.alice
    )

    context = browser.new_context(
        service_workers=NO_WORKER,
        viewport={"width": 360, "height": 800},
        locale="en-IN",
        timezone_id="Asia/Kolkata",
    )
    phone = context.new_page()
    log_in(phone, live_server.url, "alice@acme.test", home=False)
    phone.goto(f"{live_server.url}/leads/{lead.pk}/")

    expect(phone.locator(".lead-meta")).to_contain_text("₹1.2 Cr")
    actions = phone.locator("#lead-actions")
    call = actions.locator("a", has_text="Call")
    assert call.get_attribute("href") == "tel:+919876543210"
    assert actions.locator("a", has_text="WhatsApp").get_attribute("href") == "https://wa.me/919876543210"
    assert actions.locator("a", has_text="SMS").get_attribute("href") == "sms:+919876543210"
    assert (
        actions.locator("a", has_text="Log outcome").get_attribute("href") == f"/calls/sheet/lead/{lead.pk}/"
    )
    for link in actions.locator("a").all():
        box = link.bounding_box()
        assert box["height"] >= 44 and box["y"] + box["height"] <= 800, box

    tops = [
        phone.locator(sel).bounding_box()["y"]
        for sel in ("#lead-actions", "#lead-follow-ups", "#lead-timeline", "#lead-numbers")
    ]
    assert tops == sorted(tops), tops
    note = phone.locator("#lead-timeline li.kind-note")
    expect(note.locator("svg")).to_have_count(1)
    expect(note.locator(".sr")).to_have_text("Note:")
    expect(phone.locator("#consent-panel")).not_to_have_attribute("open", "")
    expect(phone.locator("#ownership-history")).not_to_have_attribute("open", "")
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    context.close()


def test_edit_is_apart_from_call_and_an_overdue_follow_up_clear_of_its_red_bar(phone, live_server, people):
    """Edit sat on the Call button's top edge (0 px apart): a thumb aimed at one could hit the
    other. An overdue follow-up's text, Done and "Change or cancel" sat on its 4 px red bar."""
    from django.utils import timezone

    from leadtracker.accounts.audit import Actor
    from leadtracker.leads.actions.follow_ups import schedule_follow_up
    from leadtracker.leads.actions.leads import LeadData, create_lead

    lead, _ = create_lead(
        people.org,
        LeadData(
            name="Ananya Mehta",
            phones=["98765 43210"],
            company="Sai Infra Developers Pvt Ltd",
            value="2500000",
            owner_id=people.alice.user_id,
        ),
        actor=Actor.system(),
        by=people.maya,
    )
    schedule_follow_up(
        lead, due_at=timezone.now() - dt.timedelta(hours=3), actor=Actor.system(), by=people.alice
    )
    log_in(phone, live_server.url, "alice@acme.test", home=False)
    phone.goto(f"{live_server.url}/leads/{lead.pk}/")

    edit = phone.locator(".lead-head a", has_text="Edit").bounding_box()
    call = phone.locator("#lead-actions a", has_text="Call").bounding_box()
    assert call["y"] - (edit["y"] + edit["height"]) >= 8, (edit, call)

    overdue = phone.locator(".follow-up.overdue").first
    bar_right = overdue.evaluate(
        "(el) => el.getBoundingClientRect().left + parseFloat(getComputedStyle(el).borderLeftWidth)"
    )
    for part in (overdue.locator("strong").first, overdue.get_by_role("button", name="Done")):
        assert part.bounding_box()["x"] - bar_right >= 8, part
