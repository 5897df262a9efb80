"""Custom fields in Chromium at 360 px: an admin adds a "Budget" money field and a "BHK" choice
field on the settings page, the lead page shows the values by section, and the list's filter
sheet narrows to BHK = 2 and budget 40–60 lakh. Each page passes the gates (e2e/gates.py) at
360 and 1280 px: no sideways scroll, axe, tap targets, no error."""

import pytest
from playwright.sync_api import expect

from e2e.conftest import NO_WORKER, log_in
from e2e.gates import Gate


def _signed_in(browser, base_url, email, width):
    context = browser.new_context(
        service_workers=NO_WORKER,
        viewport={"width": width, "height": 800},
        locale="en-IN",
        timezone_id="Asia/Kolkata",
    )
    gate = Gate(context, base_url)
    page = context.new_page()
    log_in(page, base_url, email, home=False)  # each test opens its page next
    return context, gate, page


@pytest.mark.slow(
    reason="a browser at two widths through the settings page, a lead page and the filtered list"
)
def test_admin_adds_fields_and_the_list_filters_on_them(browser, live_server, people):
    from leadtracker.accounts.audit import Actor
    from leadtracker.leads.actions.leads import LeadData, create_lead

    context, gate, page = _signed_in(browser, live_server.url, "adam@acme.test", 360)
    page.goto(f"{live_server.url}/leads/settings/fields/")
    page.fill("#id_label", "Budget")
    page.select_option("#id_type", "money")
    page.fill("#id_section", "Property")
    page.click("text=Add field")
    expect(page.locator("text=Saved.")).to_be_visible()
    page.fill("#id_label", "BHK")
    page.select_option("#id_type", "choice")
    page.fill("#id_choices", "1\n2\n3")
    page.fill("#id_section", "Property")
    page.click("text=Add field")
    expect(page.locator("summary", has_text="BHK")).to_be_visible()
    made = {}
    for name, phone, values in (
        ("Asha Kulkarni", "98765 40001", {"bhk": "2", "budget": "45 L"}),
        ("Bina Deshpande", "98765 40002", {"bhk": "2", "budget": "75 L"}),
        ("Chitra Joshi", "98765 40003", {"bhk": "3", "budget": "50 L"}),
    ):
        data = LeadData(name=name, phones=[phone], custom_fields=values)
        made[name], _ = create_lead(people.org, data, actor=Actor.system(), by=people.adam)
    page.goto(f"{live_server.url}/leads/?cf_bhk=2&cf_budget_from=40L&cf_budget_to=60L")
    expect(page.locator("a.lead-name", has_text="Asha Kulkarni")).to_be_visible()
    expect(page.locator("a.lead-name", has_text="Bina Deshpande")).to_have_count(0)
    expect(page.locator("a.lead-name", has_text="Chitra Joshi")).to_have_count(0)
    lead_page = f"/leads/{made['Asha Kulkarni'].pk}/"
    page.goto(live_server.url + lead_page)
    expect(page.locator("section", has_text="Property")).to_contain_text("₹45,00,000")
    failures = {}
    for width in (360, 1280):
        page.set_viewport_size({"width": width, "height": 800})
        for path in ("/leads/settings/fields/", lead_page, "/leads/?cf_bhk=2&cf_budget_from=40L"):
            problems = gate.check(page, path)
            if problems:
                failures[f"{path} at {width}"] = problems
    context.close()
    assert not failures, failures


def _gated(gate, page) -> list[str]:
    """The gates on the page as it stands (a form's answer to a POST): the gate's context put
    axe in it already."""
    return gate.check(page, None)


@pytest.mark.slow(reason="a browser at 360 px: a refused settings form, a refused edit, a filtered list")
def test_refused_forms_and_filter_chips_at_360(browser, live_server, people):
    from leadtracker.accounts.audit import Actor
    from leadtracker.leads.actions.leads import LeadData, create_lead
    from leadtracker.leads.fields import actions

    actions.create_field(people.org, label="Budget", type="money", section="Property", actor=Actor.system())
    actions.create_field(
        people.org, label="BHK", type="choice", choices=["1", "2", "3"], actor=Actor.system()
    )
    values = {"bhk": "2", "budget": "45 L"}
    data = LeadData(name="Asha Kulkarni", phones=["98765 40001"], value=2500000, custom_fields=values)
    lead, _ = create_lead(people.org, data, actor=Actor.system(), by=people.adam)
    context, gate, page = _signed_in(browser, live_server.url, "adam@acme.test", 360)
    failures = {}
    page.goto(f"{live_server.url}/leads/settings/fields/")
    page.fill("#id_label", "Budget (₹)")
    page.select_option("#id_type", "money")
    page.fill("#id_section", "Money")
    page.click("text=Add field")
    expect(page.locator("#id_label")).to_have_value("Budget (₹)")
    expect(page.locator("#id_section")).to_have_value("Money")
    expect(page.locator("form", has=page.locator("#id_label"))).to_contain_text(
        "A field named Budget exists already."
    )
    failures["settings refused"] = _gated(gate, page)
    page.goto(f"{live_server.url}/leads/{lead.pk}/edit/")
    page.fill("#id_fields\\.budget", "abc")
    page.click("text=Save")
    summary = page.locator("[data-form-errors]")
    expect(summary).to_contain_text("Not saved — 1 thing to fix")
    expect(summary).to_be_in_viewport()
    expect(summary).to_be_focused()
    summary.locator("a").first.click()
    expect(page.locator("#id_fields\\.budget")).to_be_in_viewport()
    failures["edit refused"] = _gated(gate, page)
    page.goto(f"{live_server.url}/leads/?cf_budget_from=40+lakh&cf_bhk=2")
    chips = page.locator("#filter-chips")
    expect(chips).to_contain_text("Budget from 40 lakh")
    expect(page.locator(".lead-main", has_text="Asha")).to_contain_text("Value ₹25 L")
    expect(page.locator(".lead-main", has_text="Asha")).to_contain_text("Budget ₹45 L")
    failures["list filtered"] = _gated(gate, page)
    chips.locator("a", has_text="BHK: 2").click()
    expect(page.locator("#filter-chips")).not_to_contain_text("BHK")
    context.close()
    failures = {k: v for k, v in failures.items() if v}
    assert not failures, failures
