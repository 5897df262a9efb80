"""Dragging a card to another column updates both columns' counts and total values at once,
as the server counts and writes them (it did not: the figures stayed until a reload)."""

from playwright.sync_api import expect


def test_a_drag_updates_both_columns_figures(page, live_server, people, login):
    from leadtracker.accounts.audit import Actor
    from leadtracker.leads.actions.leads import LeadData, create_lead

    leads = [
        create_lead(
            people.org,
            LeadData(name=f"Drag {i}", phones=[f"91234 5678{i}"], value="1500000"),
            actor=Actor.system(),
            by=people.alice,
        )[0]
        for i in range(2)
    ]
    login(page, live_server.url, "alice@acme.test", home=False)
    page.goto(f"{live_server.url}/leads/board/")
    new = page.locator("section[aria-label='New'] .column-figures")
    contacted = page.locator("section[aria-label='Contacted'] .column-figures")
    expect(new).to_contain_text("2 leads · ₹30 L")
    expect(contacted).to_contain_text("0 leads")
    page.drag_and_drop(
        f".lead-card[data-lead='{leads[0].pk}']",
        "section[aria-label='Contacted']",
        source_position={"x": 4, "y": 4},
    )
    expect(contacted).to_contain_text("1 lead · ₹15 L")
    expect(new).to_contain_text("1 lead · ₹15 L")
