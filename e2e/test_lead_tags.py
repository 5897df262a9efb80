"""A lead's page on a 360-pixel phone shows its own tags as chips, and a lead with no tags
shows none, however many tags other leads of the organisation have."""

from playwright.sync_api import expect


def test_a_lead_shows_only_its_own_tags(phone, live_server, people, login):
    from leadtracker.accounts.audit import Actor
    from leadtracker.leads.actions.leads import LeadData, create_lead

    def lead(name, number, tags):
        made, _ = create_lead(
            people.org, LeadData(name=name, phones=[number], tags=tags), actor=Actor.system(), by=people.alice
        )
        return made

    tagged = lead("Asha Rao", "98765 43210", ["hot", "site-visit"])
    lead("Bharat Jain", "91234 56789", ["nri", "budget-2cr"])
    bare = lead("Chitra Iyer", "99887 76655", [])

    login(phone, live_server.url, "alice@acme.test", home=False)
    phone.goto(f"{live_server.url}/leads/{bare.pk}/")
    expect(phone.locator("h1")).to_have_text("Chitra Iyer")
    expect(phone.locator(".badge.tag")).to_have_count(0)
    expect(phone.locator("dt", has_text="Tags")).to_have_count(0)
    for other in ("hot", "site-visit", "nri", "budget-2cr"):
        expect(phone.locator(".facts")).not_to_contain_text(other)

    phone.goto(f"{live_server.url}/leads/{tagged.pk}/")
    chips = phone.locator("#lead-tags .badge.tag")
    expect(chips).to_have_text(["hot", "site-visit"])
    for chip in chips.all():
        box = chip.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 360
