"""The Phones page (/devices/) on a 360 px phone, as an agent whose calls do not sync opens it:
each phone is a card of its own, every column's value (call-log permission, what waits in the
outbox, app and OS, Revoke) inside the screen — not a table swiped sideways inside its box —
and no "Person" line saying her own name."""

from e2e.conftest import log_in
from leadtracker.testing import paired_client

# Elements that scroll sideways inside themselves (the page itself is the gates' business).
BOXES_SCROLLING_SIDEWAYS = """() => [...document.querySelectorAll('main *')]
  .filter((el) => el.scrollWidth > el.clientWidth + 1 && el.clientWidth > 1
    && ['auto', 'scroll'].includes(getComputedStyle(el).overflowX))
  .map((el) => el.tagName + '.' + el.className + ' ' + el.scrollWidth + '>' + el.clientWidth)"""


def test_an_agents_phone_is_a_card_with_everything_on_screen(phone, live_server, people):
    paired_client(people.alice, name="Alice's Redmi Note 12 Pro")
    log_in(phone, live_server.url, "alice@acme.test", home=False)
    phone.goto(f"{live_server.url}/devices/")

    assert phone.evaluate(BOXES_SCROLLING_SIDEWAYS) == []
    card = phone.locator("table.devices tbody tr").first
    cells = [
        card.get_by_text("Alice's Redmi Note 12 Pro"),
        card.locator("td[data-label='Call log']"),
        card.locator("td[data-label='Outbox']"),
        card.get_by_role("button", name="Revoke"),
    ]
    for cell in cells:
        box = cell.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 360, (cell, box)
    # Each value says what it is: the column's name above it, as the table's head said it.
    label = card.locator("td[data-label='Call log']").evaluate(
        "(td) => getComputedStyle(td, '::before').content"
    )
    assert label == '"Call log"'
    assert phone.locator("table.devices th", has_text="Person").count() == 0


def test_a_manager_still_sees_whose_phone_it_is(page, live_server, people):
    paired_client(people.alice, name="Alice's phone")
    log_in(page, live_server.url, "maya@acme.test", home=False)
    page.goto(f"{live_server.url}/devices/")
    assert page.locator("table.devices th", has_text="Person").count() == 1
    assert page.locator("table.devices tbody tr").first.get_by_text("Alice").count() >= 1
