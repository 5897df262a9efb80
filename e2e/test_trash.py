"""The trash on a 360-pixel phone: a manager moves a lead to the trash from its page, finds it
in Trash (from the leads list) and restores it, numbers and notes included."""

from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import expect


def accept_if_asked(page):
    """Deleting asks first where a confirmation dialog is wired to the form; accept it."""
    dialog = page.locator("dialog[open]")
    try:
        dialog.wait_for(state="visible", timeout=1500)
    except PlaywrightTimeout:
        return
    dialog.locator("button[type=submit]").click()


def no_sideways_scroll(page):
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_move_to_trash_find_it_and_restore(phone, live_server, people, login):
    from leadtracker.accounts.audit import Actor
    from leadtracker.leads.actions.leads import LeadData, add_note, create_lead

    lead, _ = create_lead(
        people.org,
        LeadData(name="Farhan Qureshi", phones=["98111 22233"], owner_id=people.alice.user_id),
        actor=Actor.system(),
        by=people.maya,
    )
    add_note(lead, "Asked for the 2 BHK brochure", actor=Actor.system(), by=people.maya)
    login(phone, live_server.url, "maya@acme.test", home=False)
    phone.goto(f"{live_server.url}/leads/{lead.pk}/")
    phone.click("#move-to-trash")
    accept_if_asked(phone)
    expect(phone.locator(".flash")).to_contain_text("moved to the trash")
    # Her only lead gone, the list says how to start again.
    expect(phone.locator("#no-leads")).to_be_visible()

    phone.click("a:has-text('Trash')")
    row = phone.locator(".trashed", has_text="Farhan Qureshi")
    expect(row).to_contain_text("30 days left")
    expect(row).to_contain_text("Maya Acme")
    assert no_sideways_scroll(phone)
    box = row.locator("button:has-text('Restore')").bounding_box()
    assert box["height"] >= 44 and box["width"] >= 44, box  # a primary target on a phone

    row.locator("button:has-text('Restore')").click()
    expect(phone.locator("h1")).to_have_text("Farhan Qureshi")
    expect(phone.locator(".flash")).to_contain_text("is back")
    expect(phone.locator("#lead-timeline")).to_contain_text("Asked for the 2 BHK brochure")
    expect(phone.locator("#lead-timeline")).to_contain_text("Restored from the trash")
    expect(phone.locator("dd", has_text="98111 22233")).to_be_visible()

    phone.goto(f"{live_server.url}/leads/trash/")
    expect(phone.locator("#trash-rows")).to_contain_text("The trash is empty")
