"""The lead list on a 360×800 phone is cards: the first lead shows in the first screen, the
page never scrolls sideways, Call is a full-size button, the Filter button says how many
filters are on, and the bulk actions appear only once a lead is selected. At 1280 px the
table keeps its columns, which a person chooses (and keeps)."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from e2e.conftest import NO_WORKER, log_in


@pytest.fixture
def leads(people):
    from django.utils import timezone

    from leadtracker.accounts.audit import Actor
    from leadtracker.leads.actions.follow_ups import schedule_follow_up
    from leadtracker.leads.actions.leads import LeadData, create_lead

    made = []
    for i in range(24):
        lead, _ = create_lead(
            people.org,
            LeadData(
                name=f"Lakshmi Narayanan Venkataraman {i}",
                company="Sri Venkateswara Constructions Pvt Ltd",
                city="Visakhapatnam",
                phones=[f"98{i:08d}"],
                value="4500000",
                owner_id=people.alice.user_id,
            ),
            actor=Actor.system(),
            by=people.maya,
        )
        made.append(lead)
    # Overdue first: the list is sorted by next follow-up.
    schedule_follow_up(
        made[0], due_at=timezone.now() - dt.timedelta(hours=3), actor=Actor.system(), by=people.maya
    )
    return made


def _open(browser, live_server, email, width, height):
    context = browser.new_context(
        service_workers=NO_WORKER,
        viewport={"width": width, "height": height},
        locale="en-IN",
        timezone_id="Asia/Kolkata",
    )
    page = context.new_page()
    log_in(page, live_server.url, email, home=False)  # each test opens its page next
    return context, page


def test_the_first_card_shows_in_the_first_screen(browser, live_server, people, leads):
    context, phone = _open(browser, live_server, "maya@acme.test", 360, 800)
    phone.goto(f"{live_server.url}/leads/")
    first = phone.locator("tr.lead-row").first
    expect(first).to_contain_text("Lakshmi Narayanan Venkataraman 0")
    box = first.bounding_box()
    assert box["y"] >= 0 and box["y"] + box["height"] <= 800, box
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    expect(first).to_contain_text("Overdue")
    expect(first).to_contain_text("₹45 L")
    call = first.locator("a.call")
    assert call.get_attribute("href") == "tel:+919800000000"
    assert call.bounding_box()["height"] >= 44
    whatsapp = first.locator("a.wa")
    assert whatsapp.get_attribute("href") == "https://wa.me/919800000000"
    assert whatsapp.bounding_box()["height"] >= 44
    tick = first.locator("input[name=ids]").bounding_box()
    assert 24 <= tick["width"] <= 30 and 24 <= tick["height"] <= 30, tick  # normal-sized, still a target
    expect(phone.locator("#lead-count")).to_contain_text("24 leads")
    context.close()


def test_the_filter_button_says_how_many_filters_are_on(browser, live_server, people, leads):
    context, phone = _open(browser, live_server, "maya@acme.test", 360, 800)
    phone.goto(f"{live_server.url}/leads/")
    expect(phone.locator("#filter-button")).to_have_text("Filter")
    phone.click("#filter-button")
    phone.select_option("#f-fu", "overdue")
    phone.select_option("#f-owner", label="Alice Acme")
    phone.click("#filter-sheet button:has-text('Apply')")
    expect(phone.locator("#filter-button")).to_contain_text("2")
    expect(phone.locator("tr.lead-row")).to_have_count(1)
    expect(phone.locator("#lead-count")).to_contain_text("1 lead")
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    context.close()


def test_bulk_actions_appear_only_after_selecting(browser, live_server, people, leads):
    context, phone = _open(browser, live_server, "maya@acme.test", 360, 800)
    phone.goto(f"{live_server.url}/leads/")
    expect(phone.locator("#bulkbar")).to_be_hidden()
    phone.locator("tr.lead-row input[name=ids]").nth(1).check()
    bar = phone.locator("#bulkbar")
    expect(bar).to_be_visible()
    expect(bar).to_contain_text("Select all 24 matching")
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    phone.locator("tr.lead-row input[name=ids]").nth(1).uncheck()
    expect(bar).to_be_hidden()
    context.close()


def test_the_desktop_column_chooser_keeps_a_persons_columns(browser, live_server, people, leads):
    context, desk = _open(browser, live_server, "maya@acme.test", 1280, 800)
    desk.goto(f"{live_server.url}/leads/")
    head = desk.locator("table.leads thead")
    expect(head).to_contain_text("Owner")
    expect(head).not_to_contain_text("Value")
    desk.click(".column-chooser summary")
    desk.locator(".column-chooser input[value=owner]").uncheck()
    desk.locator(".column-chooser input[value=value]").check()
    desk.click(".column-chooser button:has-text('Save columns')")
    expect(head).to_contain_text("Value")
    expect(head).not_to_contain_text("Owner")
    expect(desk.locator("td.col-value").first).to_have_text("₹45 L")
    desk.goto(f"{live_server.url}/leads/")
    expect(desk.locator("table.leads thead")).to_contain_text("Value")
    assert desk.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    # The cards' buttons are for phones.
    expect(desk.locator("td.contact").first).to_be_hidden()
    context.close()


def test_an_agents_cards_without_tick_boxes_keep_the_name_wide(browser, live_server, people, leads):
    context, phone = _open(browser, live_server, "alice@acme.test", 360, 800)
    phone.goto(f"{live_server.url}/leads/")
    first = phone.locator("tr.lead-row").first
    expect(first.locator("input[name=ids]")).to_have_count(0)
    main = first.locator("td.lead-main").bounding_box()
    assert main["width"] >= 180, main
    assert first.bounding_box()["y"] + first.bounding_box()["height"] <= 800
    context.close()


def test_select_all_matching_asks_then_changes_them_all(browser, live_server, people, leads):
    from leadtracker.leads.models import Lead

    context, phone = _open(browser, live_server, "maya@acme.test", 360, 800)
    phone.goto(f"{live_server.url}/leads/")
    phone.locator("tr.lead-row input[name=ids]").first.check()
    bar = phone.locator("#bulkbar")
    bar.locator("input[name=all_matching]").check()
    phone.select_option("#b-action", "status")
    phone.select_option("#b-status", label="Won")
    bar.locator("button:has-text('Apply')").click()
    dialog = phone.locator("dialog[open]")
    expect(dialog).to_contain_text("all 24 leads that match")
    assert not Lead.objects.filter(status__name="Won").exists()
    dialog.locator("button[type=submit]").click()
    expect(phone.locator(".flash")).to_contain_text("24 leads changed")
    assert Lead.objects.filter(status__name="Won").count() == 24
    context.close()


# The width of an input's placeholder in the input's own font, and the room inside the input.
PLACEHOLDER_FIT = """(input) => {
  const style = getComputedStyle(input);
  const context = document.createElement("canvas").getContext("2d");
  context.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
  const room = input.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
  return [context.measureText(input.placeholder).width, room];
}"""


@pytest.mark.parametrize("language", ["en-in", "hi"])
def test_the_search_boxs_hint_is_not_cut_off(browser, live_server, people, leads, language):
    """The list's search box has no visible label: its hint is the label. At 360 px it read
    "Name, company, e-mail or nu" — the word that matters to a telecaller cut off."""
    people.alice.user.language = language
    people.alice.user.save(update_fields=["language"])
    context, phone = _open(browser, live_server, "alice@acme.test", 360, 800)
    phone.goto(f"{live_server.url}/leads/")
    box = phone.locator("#q")
    width, room = box.evaluate(PLACEHOLDER_FIT)
    assert width <= room, (box.get_attribute("placeholder"), width, room)
    context.close()
